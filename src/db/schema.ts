import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { TextEncoding } from '../text.ts';

// Types of the tables as created by the migrations in ./migrations. Dates are 'YYYY-MM-DD' strings;
// timestamps are Date objects; numeric is a string (exact), parsed where used.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export type OrgKind = 'nation' | 'region' | 'icb' | 'sub_icb' | 'trust' | 'provider' | 'other';

export interface OrganisationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: OrgKind;
  parent_id: number | null;
  icb_id: number | null;
  region_id: number | null;
  ons_code: string | null;
  postcode: string | null;
  address: string | null;
  phone: string | null;
  opened_on: string | null;
  closed_on: string | null;
  source: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganisationParentHistoryTable {
  id: Generated<number>;
  organisation_id: number;
  parent_id: number | null;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  recorded_at: Timestamp;
}

export interface TeamsTable {
  id: Generated<number>;
  organisation_id: number;
  parent_team_id: number | null;
  code: string | null;
  name: string;
  kind: Generated<'directorate' | 'division' | 'department' | 'team'>;
  closed_on: string | null;
  created_at: Timestamp;
  /** Created by the synthetic data generator (migration 20261126_1500). */
  synthetic: Generated<boolean>;
}

export interface PeopleTable {
  id: Generated<number>;
  staff_number: string | null;
  given_name: string;
  family_name: string;
  email: string | null;
  ethnicity: string | null;
  disability: string | null;
  sex: string | null;
  age_band: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Created by the synthetic data generator (migration 20261126_1500). */
  synthetic: Generated<boolean>;
}

export type Band =
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8a'
  | '8b'
  | '8c'
  | '8d'
  | '9'
  | 'VSM'
  | 'Medical'
  | 'Other';

export interface AssignmentsTable {
  id: Generated<number>;
  person_id: number;
  organisation_id: number;
  assignment_number: string;
  team_id: number | null;
  position_title: string;
  band: Band | null;
  staff_group: string | null;
  occupation_code: string | null;
  wte: ColumnType<string | null, string | number | null, string | number | null>;
  line_manager_assignment_id: number | null;
  is_manager: Generated<boolean>;
  start_date: string;
  end_date: string | null;
  managed_by_import: Generated<boolean>;
  /** lower(people.family_name), kept by triggers: the organisation-and-name search index. */
  family_key: Generated<string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AssignmentHistoryTable {
  id: Generated<number>;
  assignment_id: number;
  valid_from: Timestamp;
  valid_to: Timestamp;
  previous: Json<Record<string, unknown>>;
}

export interface AccountsTable {
  id: Generated<number>;
  person_id: number | null;
  email: string;
  display_name: string;
  password_hash: string | null;
  oidc_subject: string | null;
  status: Generated<'active' | 'disabled'>;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  is_demo: Generated<boolean>;
  last_sign_in_at: Timestamp | null;
  created_at: Timestamp;
}

export type GrantedRole = 'org_admin' | 'icb_lead' | 'regional_lead' | 'national_admin' | 'provider_admin';

export interface RoleGrantsTable {
  id: Generated<number>;
  account_id: number;
  role: GrantedRole;
  organisation_id: number | null;
  created_at: Timestamp;
  created_by: number | null;
  /** A provider_admin grant for a training provider (migration 20261127_0400_catalogue). */
  provider_id: Generated<number | null>;
}

export interface SessionsTable {
  id: string;
  account_id: number;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  account_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  role_grant_id: number | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_account_id: number | null;
  actor_label: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  person_id: number | null;
  organisation_id: number | null;
  ip: string | null;
  details: Json<Record<string, unknown>> | null;
}

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  error: string | null;
}

export interface StaffImportsTable {
  id: Generated<number>;
  organisation_id: number;
  account_id: number | null;
  filename: string;
  status: 'applied' | 'rejected';
  rows_total: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  ended: Generated<number>;
  errors: Json<unknown[]>;
  created_at: Timestamp;
  /** Added by 20261126_1760_staff_import_log: all errors, where `errors` keeps the first 1,000. */
  error_count: Generated<number>;
  /** Added by 20261130_0200_staff_import_encoding: how the file's bytes were read as text (null before then). */
  encoding: TextEncoding | null;
}

export interface AppSettingsTable {
  key: string;
  value: Json<unknown>;
}

export interface OrganisationStatsTable {
  organisation_id: number;
  staff: number;
  managers: number;
  wte: ColumnType<string, string | number, string | number>;
  joiners_12m: number;
  leavers_12m: number;
  refreshed_at: Timestamp;
}

export interface DB {
  organisations: OrganisationsTable;
  organisation_parent_history: OrganisationParentHistoryTable;
  teams: TeamsTable;
  people: PeopleTable;
  assignments: AssignmentsTable;
  assignment_history: AssignmentHistoryTable;
  accounts: AccountsTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  staff_imports: StaffImportsTable;
  app_settings: AppSettingsTable;
  organisation_stats: OrganisationStatsTable;
  sign_in_throttle: SignInThrottleTable;
  rate_limits: RateLimitsTable;
  frameworks: FrameworksTable;
  framework_versions: FrameworkVersionsTable;
  framework_domains: FrameworkDomainsTable;
  framework_competencies: FrameworkCompetenciesTable;
  framework_indicators: FrameworkIndicatorsTable;
  framework_scale_levels: FrameworkScaleLevelsTable;
  framework_level_descriptors: FrameworkLevelDescriptorsTable;
  framework_required_levels: FrameworkRequiredLevelsTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type Person = Selectable<PeopleTable>;
export type Assignment = Selectable<AssignmentsTable>;

/** Rate-limit counters shared by app instances (plugins/rate-limit-store.ts). */
export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

/** Failed sign-ins for email addresses without an account (accounts feature). */
export interface SignInThrottleTable {
  email_hash: string;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  updated_at: Timestamp;
}

// Competency frameworks (migration 20261126_1800_frameworks; feature src/features/frameworks).
export type FrameworkStatus = 'draft' | 'published' | 'retired';
export type ManagementLevel = 'first_line' | 'middle' | 'senior' | 'executive' | 'board';

export interface FrameworksTable {
  id: Generated<number>;
  key: string;
  title: string;
  description: Generated<string>;
  owner: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FrameworkVersionsTable {
  id: Generated<number>;
  framework_id: number;
  version: number;
  status: Generated<FrameworkStatus>;
  title: string;
  description: Generated<string>;
  owner: Generated<string>;
  notes: Generated<string>;
  source: Generated<string>;
  is_starter: Generated<boolean>;
  based_on_version_id: number | null;
  proficient_value: number | null;
  green_within: Generated<number>;
  amber_within: Generated<number>;
  created_at: Timestamp;
  created_by: number | null;
  published_at: Timestamp | null;
  published_by: number | null;
  retired_at: Timestamp | null;
  retired_by: number | null;
}

export interface FrameworkDomainsTable {
  id: Generated<number>;
  version_id: number;
  position: number;
  code: string;
  title: string;
  description: Generated<string>;
}

export interface FrameworkCompetenciesTable {
  id: Generated<number>;
  version_id: number;
  domain_id: number;
  position: number;
  code: string;
  title: string;
  description: Generated<string>;
}

export interface FrameworkIndicatorsTable {
  id: Generated<number>;
  version_id: number;
  competency_id: number;
  position: number;
  text: string;
}

export interface FrameworkScaleLevelsTable {
  id: Generated<number>;
  version_id: number;
  position: number;
  value: number | null;
  label: string;
  descriptor: Generated<string>;
}

export interface FrameworkLevelDescriptorsTable {
  version_id: number;
  competency_id: number;
  scale_level_id: number;
  text: string;
}

export interface FrameworkRequiredLevelsTable {
  id: Generated<number>;
  version_id: number;
  management_level: ManagementLevel;
  domain_id: number | null;
  competency_id: number | null;
  required_value: number;
}

// Reporting burden (migration 20261126_1900_burden; feature src/features/burden). Merged into DB above.
type Numeric = ColumnType<string, string | number, string | number>;
type NullableNumeric = ColumnType<string | null, string | number | null, string | number | null>;

export type ReturnScope = 'national' | 'regional' | 'icb' | 'local';
export type RequestingBody =
  | 'nhse_national'
  | 'nhse_regional'
  | 'icb'
  | 'dhsc'
  | 'cqc'
  | 'nhs_resolution'
  | 'royal_college'
  | 'local_authority'
  | 'other';
export type ReturnFrequency = 'weekly' | 'monthly' | 'quarterly' | 'annual' | 'ad_hoc';

export interface BurdenReturnsTable {
  id: Generated<number>;
  name: string;
  requesting_body: RequestingBody;
  legal_basis: string;
  mandatory: boolean;
  approval_ref: string | null;
  frequency: ReturnFrequency;
  ad_hoc_cycles: number | null;
  deadline_rule: string;
  submission_route: string;
  start_date: string;
  sunset_date: string | null;
  scope: ReturnScope;
  scope_org_id: number | null;
  owner_org_id: number | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BurdenDataItemsTable {
  id: Generated<number>;
  name: string;
  normalised_name: string;
  definition: string | null;
  unit: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BurdenReturnItemsTable {
  return_id: number;
  data_item_id: number;
}

export interface BurdenEffortsTable {
  id: Generated<number>;
  organisation_id: number;
  return_id: number;
  effective_from: string;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface BurdenEffortLinesTable {
  effort_id: number;
  position: number;
  role: string;
  band: Band;
  hours_per_cycle: Numeric;
}

export interface PayScalesTable {
  id: Generated<number>;
  scale: string;
  band: string;
  valid_from: string;
  valid_to: string | null;
  annual_min: Numeric;
  annual_max: Numeric;
  on_cost_percent: Numeric;
  source: string;
  loaded_at: Timestamp;
}

export interface BurdenOrgReturnsTable {
  organisation_id: number;
  return_id: number;
  effort_from: string;
  hours_per_cycle: Numeric;
  cycles_per_year: Numeric;
  hours_year: Numeric;
  cost_year: Numeric;
  uncosted_hours_year: Numeric;
  scales: string | null;
  refreshed_at: Timestamp;
}

export interface BurdenAreaSummaryTable {
  level: 'organisation' | 'icb' | 'region' | 'nation';
  area_id: number;
  dimension: 'total' | 'body' | 'return';
  key: string;
  hours_year: Numeric;
  cost_year: Numeric;
  uncosted_hours_year: Numeric;
  organisations: number;
  managers: number | null;
  refreshed_at: Timestamp;
}

export interface BurdenOverlapGroupsTable {
  id: Generated<number>;
  kind: 'exact' | 'near';
  item_ids: number[];
  return_ids: number[];
  min_similarity: NullableNumeric;
  refreshed_at: Timestamp;
}

export interface BurdenItemPairsTable {
  item_a: number;
  item_b: number;
  similarity: Numeric;
}

export interface BurdenReturnDuplicatesTable {
  return_id: number;
  national_return_id: number;
}

export interface DB {
  burden_returns: BurdenReturnsTable;
  burden_data_items: BurdenDataItemsTable;
  burden_return_items: BurdenReturnItemsTable;
  burden_efforts: BurdenEffortsTable;
  burden_effort_lines: BurdenEffortLinesTable;
  pay_scales: PayScalesTable;
  burden_org_returns: BurdenOrgReturnsTable;
  burden_area_summary: BurdenAreaSummaryTable;
  burden_overlap_groups: BurdenOverlapGroupsTable;
  burden_return_duplicates: BurdenReturnDuplicatesTable;
  burden_item_pairs: BurdenItemPairsTable;
}

// Learning record (migration 20261127_0480_learning_record; feature src/features/learning-record). Merged into DB.
export type LearningOutcome = 'completed' | 'passed' | 'failed' | 'attended';
export type LearningSource = 'cohort' | 'import' | 'xapi' | 'manual';

export interface LearningRecordsTable {
  id: Generated<number>;
  person_id: number;
  programme_id: number | null;
  title: string;
  provider_name: string | null;
  completed_on: string;
  outcome: LearningOutcome;
  hours: ColumnType<string | null, string | number | null, string | number | null>;
  mandatory: Generated<boolean>;
  source: LearningSource;
  source_ref: string | null;
  recorded_by: number | null;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LearningEquityCellsTable {
  area_kind: 'nation' | 'region' | 'icb' | 'organisation';
  area_id: number;
  period: string;
  period_kind: 'year' | 'quarter';
  period_end: string;
  dimension: string;
  grp: string;
  staff: number;
  accessed: number;
  hours: ColumnType<string, string | number, string | number>;
  suppressed: boolean;
}

export interface LearningEquityRefreshesTable {
  id: Generated<number>;
  refreshed_at: Timestamp;
  minimum: number;
  cells: number;
  millis: number;
}

export interface DB {
  learning_records: LearningRecordsTable;
  learning_equity_cells: LearningEquityCellsTable;
  learning_equity_refreshes: LearningEquityRefreshesTable;
}

// 360 feedback (migration 20261127_0200_feedback; feature src/features/feedback). Merged into DB above.
export type RaterGroup = 'self' | 'line_manager' | 'peer' | 'direct_report' | 'other';

export interface FeedbackRoundsTable {
  id: Generated<number>;
  person_id: number;
  framework_version_id: number;
  domain_ids: number[] | null;
  closes_on: string;
  min_peer: Generated<number>;
  min_direct_report: Generated<number>;
  min_other: Generated<number>;
  facilitator_account_id: number | null;
  status: Generated<'open' | 'closed'>;
  closed_at: Timestamp | null;
  released_at: Timestamp | null;
  released_by: number | null;
  shared_at: Timestamp | null;
  created_by: number | null;
  created_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface FeedbackRatersTable {
  id: Generated<number>;
  round_id: number;
  rater_group: RaterGroup;
  person_id: number | null;
  email: string | null;
  name: string;
  token_hash: string | null;
  invited_at: Timestamp | null;
  saved_at: Timestamp | null;
  submitted_at: Timestamp | null;
  strengths: Generated<string>;
  development: Generated<string>;
  created_at: Timestamp;
}

export interface FeedbackRatingsTable {
  rater_id: number;
  competency_id: number;
  scale_level_id: number;
  value: number | null;
}

export interface FeedbackRemindersTable {
  rater_id: number;
  days_before: number;
  sent_at: Timestamp;
}

export interface DB {
  feedback_rounds: FeedbackRoundsTable;
  feedback_raters: FeedbackRatersTable;
  feedback_ratings: FeedbackRatingsTable;
  feedback_reminders: FeedbackRemindersTable;
}

// Training catalogue (migration 20261127_0400_catalogue; feature src/features/catalogue). Merged into DB above.
export type ProviderKind = 'nhs_organisation' | 'academy' | 'university' | 'professional_body' | 'private';
export type ProgrammeFormat = 'online' | 'face_to_face' | 'blended';
export type ProgrammeFunding = 'none' | 'part_funded' | 'fully_funded';
export type ProgrammeScope = 'national' | 'regional' | 'icb' | 'local';
export type ProgrammeStatus = 'draft' | 'published' | 'withdrawn';
export type AccreditationStatus = 'none' | 'submitted' | 'changes_requested' | 'accredited' | 'rejected' | 'expired';
export type SubmissionStatus = 'submitted' | 'accredited' | 'changes_requested' | 'rejected' | 'expired' | 'superseded';

export interface ProvidersTable {
  id: Generated<number>;
  name: string;
  kind: ProviderKind;
  organisation_id: number | null;
  region_id: number | null;
  website: string | null;
  contact_email: string | null;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProgrammesTable {
  id: Generated<number>;
  provider_id: number;
  title: string;
  summary: Generated<string>;
  outcomes: Generated<string>;
  level: ManagementLevel;
  format: ProgrammeFormat;
  hours: number;
  duration_weeks: number;
  cost_pounds: Generated<number>;
  funding: Generated<ProgrammeFunding>;
  funding_note: Generated<string>;
  elig_bands: Generated<string[]>;
  elig_management_levels: Generated<string[]>;
  elig_staff_groups: Generated<string[]>;
  elig_organisation_ids: Generated<number[]>;
  elig_region_ids: Generated<number[]>;
  scope: ProgrammeScope;
  scope_org_id: number | null;
  area_region_id: number | null;
  area_icb_id: number | null;
  local_version_of: number | null;
  status: Generated<ProgrammeStatus>;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  next_cohort_start: string | null;
  accreditation_status: Generated<AccreditationStatus>;
  accredited_until: string | null;
  search_extra: Generated<string>;
  search: ColumnType<string, never, never>;
  synthetic: Generated<boolean>;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProgrammeCompetenciesTable {
  programme_id: number;
  version_id: number;
  competency_id: number;
}

export interface AccreditationSubmissionsTable {
  id: Generated<number>;
  programme_id: number;
  status: Generated<SubmissionStatus>;
  review_region_id: number | null;
  competency_mapping: string;
  assessment_method: string;
  evidence: string;
  snapshot: Json<Record<string, unknown>>;
  submitted_by: number | null;
  submitted_at: Timestamp;
  criteria: Json<Record<string, { met: boolean; note: string }>> | null;
  decision_note: string | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  expires_on: string | null;
}

export interface AccreditationEventsTable {
  id: Generated<number>;
  submission_id: number;
  programme_id: number;
  at: Timestamp;
  actor_account_id: number | null;
  action: string;
  note: string | null;
  details: Json<Record<string, unknown>> | null;
}

export interface AccreditationRemindersTable {
  submission_id: number;
  kind: 'due_90' | 'due_30';
  sent_at: Timestamp;
}

export interface DB {
  providers: ProvidersTable;
  programmes: ProgrammesTable;
  programme_competencies: ProgrammeCompetenciesTable;
  accreditation_submissions: AccreditationSubmissionsTable;
  accreditation_events: AccreditationEventsTable;
  accreditation_reminders: AccreditationRemindersTable;
}

// Management workload: competing priorities and reorganisations (migration 20261127_0700_priorities_reorganisations;
// features src/features/priorities and src/features/reorganisations). Merged into DB above.
export type PrioritySource =
  | 'nhse_national'
  | 'nhse_region'
  | 'icb'
  | 'dhsc'
  | 'cqc'
  | 'board'
  | 'local_authority'
  | 'other';
export type PriorityScope = 'national' | 'region' | 'icb' | 'organisation';
export type PriorityStatus = 'active' | 'met' | 'dropped';

export interface PrioritiesTable {
  id: Generated<number>;
  title: string;
  source: PrioritySource;
  set_on: string;
  measure: string;
  target_date: string | null;
  funded: boolean;
  funding_amount: NullableNumeric;
  owner: string;
  scope: PriorityScope;
  scope_org_id: number | null;
  targeted: Generated<boolean>;
  status: Generated<PriorityStatus>;
  ended_on: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface PriorityTargetsTable {
  priority_id: number;
  organisation_id: number;
  team_id: number | null;
}

export interface PriorityLinksTable {
  id: Generated<number>;
  organisation_id: number;
  priority_a: number;
  priority_b: number;
  kind: 'overlap' | 'conflict';
  note: Generated<string>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface PriorityTeamSummaryTable {
  team_id: number;
  organisation_id: number;
  concurrent: number;
  unfunded: number;
  overlapping: number;
  conflicting: number;
  refreshed_at: Timestamp;
}

export interface PriorityManagerSummaryTable {
  organisation_id: number;
  person_id: number;
  teams: number;
  concurrent: number;
  unfunded: number;
  overlapping: number;
  conflicting: number;
  refreshed_at: Timestamp;
}

export interface PriorityAreaSummaryTable {
  level: 'organisation' | 'icb' | 'region' | 'nation';
  area_id: number;
  organisations: number;
  teams: number;
  team_priorities: number;
  unfunded: number;
  median: NullableNumeric;
  p90: NullableNumeric;
  max: number | null;
  distribution: Json<{ bucket: string; teams: number }[]>;
  overlapping: number;
  conflicting: number;
  active: number;
  refreshed_at: Timestamp;
}

export interface PriorityTrendTable {
  level: string;
  area_id: number;
  month: string;
  teams: number;
  mean: Numeric;
}

export interface ReorganisationsTable {
  id: Generated<number>;
  organisation_id: number;
  team_id: number | null;
  unit_name: string;
  effective_on: string;
  staff_affected: number;
  rationale: string;
  cost: NullableNumeric;
  expected_benefits: string;
  review_on: string | null;
  outcome: string | null;
  outcome_on: string | null;
  recorded_by: number | null;
  review_reminded_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface ReorganisationSummaryTable {
  level: 'organisation' | 'icb' | 'region' | 'nation';
  area_id: number;
  year: number;
  organisations: number;
  reorganisations: number;
  repeated: number;
  staff_affected: number;
  cost: Numeric;
  cost_unknown: number;
  refreshed_at: Timestamp;
}

export interface DB {
  priorities: PrioritiesTable;
  priority_targets: PriorityTargetsTable;
  priority_links: PriorityLinksTable;
  priority_team_summary: PriorityTeamSummaryTable;
  priority_manager_summary: PriorityManagerSummaryTable;
  priority_area_summary: PriorityAreaSummaryTable;
  priority_trend: PriorityTrendTable;
  reorganisations: ReorganisationsTable;
  reorganisation_summary: ReorganisationSummaryTable;
}

// Self-assessments, evidence and development plans (migration 20261127_0100_assessments; features
// src/features/assessments and src/features/plans).
export type AssessmentStatus = 'in_progress' | 'submitted';
export type EvidenceKind = 'file' | 'link' | 'note';
export type PlanItemStatus = 'not_started' | 'in_progress' | 'done' | 'dropped';
export type PlanItemSource = 'assessment' | 'feedback' | 'appraisal' | 'manual';

export interface DevelopmentImportsTable {
  id: Generated<number>;
  person_id: number;
  source_organisation: string;
  exported_at: Timestamp | null;
  imported_at: Timestamp;
  imported_by: number | null;
  summary: Json<Record<string, unknown>>;
}

export interface SelfAssessmentsTable {
  id: Generated<number>;
  person_id: number;
  framework_version_id: number;
  management_level: ManagementLevel;
  level_source: 'suggested' | 'chosen' | 'imported';
  band: string | null;
  status: Generated<AssessmentStatus>;
  started_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  import_id: number | null;
  synthetic: Generated<boolean>;
}

export interface SelfAssessmentRatingsTable {
  assessment_id: number;
  version_id: number;
  competency_id: number;
  scale_level_id: number;
  comment: Generated<string>;
}

export interface DevelopmentEvidenceTable {
  id: Generated<number>;
  person_id: number;
  kind: EvidenceKind;
  title: string;
  url: string | null;
  note: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  created_at: Timestamp;
  import_id: number | null;
}

export interface DevelopmentEvidenceFilesTable {
  evidence_id: number;
  content: Buffer;
}

export interface SelfAssessmentEvidenceTable {
  assessment_id: number;
  evidence_id: number;
  version_id: number;
  competency_id: number | null;
}

export interface ImportedAssessmentHistoryTable {
  id: Generated<number>;
  import_id: number;
  person_id: number;
  framework_key: string;
  framework_title: string;
  framework_version: number;
  management_level: string;
  submitted_at: Timestamp | null;
  content: Json<Record<string, unknown>>;
}

export interface DevelopmentPlanItemsTable {
  id: Generated<number>;
  person_id: number;
  framework_version_id: number | null;
  competency_id: number | null;
  title: string;
  status: Generated<PlanItemStatus>;
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  support: Generated<string>;
  source: PlanItemSource;
  source_id: string | null;
  import_id: number | null;
  imported_competency: Json<Record<string, unknown>> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface DB {
  development_imports: DevelopmentImportsTable;
  self_assessments: SelfAssessmentsTable;
  self_assessment_ratings: SelfAssessmentRatingsTable;
  development_evidence: DevelopmentEvidenceTable;
  development_evidence_files: DevelopmentEvidenceFilesTable;
  self_assessment_evidence: SelfAssessmentEvidenceTable;
  imported_assessment_history: ImportedAssessmentHistoryTable;
  development_plan_items: DevelopmentPlanItemsTable;
}

// Cohorts and booking (migration 20261127_0450_cohorts; feature src/features/cohorts). Merged into DB above.
export type CohortStatus = 'draft' | 'open' | 'cancelled' | 'completed';
export type ApplicationStatus = 'awaiting_approval' | 'confirmed' | 'waitlisted' | 'rejected' | 'cancelled';
export type Decision = 'pending' | 'approved' | 'rejected' | 'not_required';
export type CompletionOutcome = 'passed' | 'failed' | 'completed';
export type CohortNoticeKind =
  | 'approval_needed'
  | 'funder_approval_needed'
  | 'decision'
  | 'promoted'
  | 'session_reminder'
  | 'closing_reminder';

export interface CohortsTable {
  id: Generated<number>;
  programme_id: number;
  name: string;
  capacity: number;
  places_taken: Generated<number>;
  booking_opens_on: string;
  booking_closes_on: string;
  starts_on: string | null;
  ends_on: string | null;
  status: Generated<CohortStatus>;
  funder_approval: Generated<boolean>;
  synthetic: Generated<boolean>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CohortSessionsTable {
  id: Generated<number>;
  cohort_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  venue: string | null;
  online_url: string | null;
}

export interface CohortReservationsTable {
  id: Generated<number>;
  cohort_id: number;
  manager_person_id: number;
  reserved_by: number | null;
  places: number;
  used: Generated<number>;
  released_at: Timestamp | null;
  created_at: Timestamp;
}

export interface CohortApplicationsTable {
  id: Generated<number>;
  cohort_id: number;
  person_id: number;
  organisation_id: number | null;
  staff_group: string | null;
  approver_assignment_id: number | null;
  status: ApplicationStatus;
  manager_decision: Decision;
  funder_decision: Decision;
  manager_decided_by: number | null;
  manager_decided_at: Timestamp | null;
  funder_decided_by: number | null;
  funder_decided_at: Timestamp | null;
  decision_note: string | null;
  reservation_id: number | null;
  applied_at: Timestamp;
  place_taken_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  completed_on: string | null;
  outcome: CompletionOutcome | null;
  completion_recorded_by: number | null;
  synthetic: Generated<boolean>;
}

export interface CohortAttendanceTable {
  session_id: number;
  application_id: number;
  attended: boolean;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface CohortCertificatesTable {
  id: Generated<number>;
  application_id: number;
  code: string;
  person_name: string;
  programme_title: string;
  provider_name: string;
  completed_on: string;
  issued_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface CohortFeedbackTable {
  application_id: number;
  cohort_id: number;
  overall: number;
  relevance: number;
  recommend: boolean;
  comment: string | null;
  submitted_at: Timestamp;
}

export interface ProgrammeInterestTable {
  programme_id: number;
  person_id: number;
  organisation_id: number | null;
  staff_group: string | null;
  registered_at: Timestamp;
  synthetic: Generated<boolean>;
}

export interface CohortNoticesTable {
  id: Generated<number>;
  kind: CohortNoticeKind;
  dedupe_key: string;
  application_id: number | null;
  cohort_id: number | null;
  session_id: number | null;
  person_id: number | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

/** One session as a cohort change records it (instants as ISO strings). Migration 20261129_0100_cohort_changes. */
export interface CohortSessionSnapshot {
  id: number;
  starts_at: string;
  ends_at: string;
  venue: string | null;
  online_url: string | null;
}

export interface CohortChangesTable {
  id: Generated<number>;
  cohort_id: number;
  sessions_before: ColumnType<CohortSessionSnapshot[], string, never>;
  sessions_after: ColumnType<CohortSessionSnapshot[], string, never>;
  applications_upto: ColumnType<number, number | undefined, never>;
  changed_by: number | null;
  changed_at: Timestamp;
  notified_at: Timestamp | null;
}

export interface CohortChangeNoticesTable {
  change_id: number;
  application_id: number;
  sent_at: Timestamp;
}

export interface CohortSupplySummaryTable {
  area_kind: 'nation' | 'region' | 'icb' | 'organisation';
  area_id: number;
  staff_group: string;
  domain: string;
  level: string;
  managers: number;
  programmes: number;
  places: number;
  offered: number | null;
  applications: number;
  waitlisted: number;
  interest: number;
  wait_n: number;
  wait_median: string | null;
  wait_p90: string | null;
}

export interface CohortSupplyRefreshesTable {
  id: Generated<number>;
  refreshed_at: Timestamp;
  window_from: string;
  window_to: string;
  rows: number;
  millis: number;
}

export interface DB {
  cohorts: CohortsTable;
  cohort_sessions: CohortSessionsTable;
  cohort_reservations: CohortReservationsTable;
  cohort_applications: CohortApplicationsTable;
  cohort_attendance: CohortAttendanceTable;
  cohort_certificates: CohortCertificatesTable;
  cohort_feedback: CohortFeedbackTable;
  programme_interest: ProgrammeInterestTable;
  cohort_notices: CohortNoticesTable;
  cohort_changes: CohortChangesTable;
  cohort_change_notices: CohortChangeNoticesTable;
  cohort_supply_summary: CohortSupplySummaryTable;
  cohort_supply_refreshes: CohortSupplyRefreshesTable;
}

// The standard appraisal (migration 20261127_0300_appraisals; feature src/features/appraisals). Merged into DB above.
export type AppraisalStatus = 'not_started' | 'preparing' | 'meeting_held' | 'recorded' | 'locked';
export type OverallRating = 'exceptional' | 'strong' | 'developing' | 'not_yet_meeting';
export type AppraisalSummaryLevel = 'organisation' | 'icb' | 'region' | 'nation';

export interface AppraisalCyclesTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  starts_on: string;
  mid_year_on: string;
  due_on: string;
  ends_on: string;
  template_key: string;
  template_version: number;
  framework_version_id: number;
  synthetic: Generated<boolean>;
  created_by: number | null;
  created_at: Timestamp;
}

export interface AppraisalsTable {
  id: Generated<number>;
  cycle_id: number;
  organisation_id: number;
  person_id: number;
  assignment_id: number;
  appraiser_person_id: number | null;
  appraiser_set_by: number | null;
  appraiser_set_at: Timestamp | null;
  template_key: string;
  template_version: number;
  framework_version_id: number;
  status: Generated<AppraisalStatus>;
  content: Json<Record<string, unknown>>;
  overall_rating: OverallRating | null;
  meeting_on: string | null;
  due_on: string;
  appraisee_signed_at: Timestamp | null;
  appraisee_signed_by: number | null;
  appraiser_signed_at: Timestamp | null;
  appraiser_signed_by: number | null;
  locked_at: Timestamp | null;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppraisalAddendaTable {
  id: Generated<number>;
  appraisal_id: number;
  body: string;
  created_by: number | null;
  created_at: Timestamp;
  appraisee_signed_at: Timestamp | null;
  appraisee_signed_by: number | null;
  appraiser_signed_at: Timestamp | null;
  appraiser_signed_by: number | null;
  locked_at: Timestamp | null;
  synthetic: Generated<boolean>;
}

export interface AppraisalCheckinsTable {
  id: Generated<number>;
  person_id: number;
  author_account_id: number | null;
  author_name: string;
  author_role: 'appraisee' | 'line_manager';
  noted_on: string;
  body: string;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
}

export interface AppraisalRemindersTable {
  appraisal_id: number;
  recipient: 'appraisee' | 'appraiser';
  kind: 'due_soon' | 'overdue';
  sent_at: Timestamp;
}

export interface AppraisalStatusSummaryTable {
  level: AppraisalSummaryLevel;
  area_id: number;
  dimension: 'total' | 'directorate' | 'team' | 'band' | 'staff_group' | 'organisation';
  key: string;
  label: string;
  parent_key: string | null;
  people: number;
  not_started: number;
  in_progress: number;
  completed: number;
  overdue: number;
  cycle_id: number | null;
  refreshed_at: Timestamp;
}

export interface AppraisalRatingSummaryTable {
  level: AppraisalSummaryLevel;
  area_id: number;
  dimension: 'total' | 'ethnicity' | 'disability';
  key: string;
  rating: string;
  people: number;
  refreshed_at: Timestamp;
}

export interface DB {
  appraisal_cycles: AppraisalCyclesTable;
  appraisals: AppraisalsTable;
  appraisal_addenda: AppraisalAddendaTable;
  appraisal_checkins: AppraisalCheckinsTable;
  appraisal_reminders: AppraisalRemindersTable;
  appraisal_status_summary: AppraisalStatusSummaryTable;
  appraisal_rating_summary: AppraisalRatingSummaryTable;
}

/** The manager time-use pulse (migration 20261127_0600_pulse; src/features/pulse). */
export type PulseCadence = 'monthly' | 'quarterly';

export interface PulseSettingsTable {
  organisation_id: number;
  cadence: PulseCadence;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface PulseRoundsTable {
  id: Generated<number>;
  organisation_id: number;
  cadence: PulseCadence;
  opens_on: string;
  closes_on: string;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
}

export interface PulseResponsesTable {
  id: Generated<number>;
  round_id: number;
  person_id: number;
  upward: ColumnType<string, string | number, string | number>;
  meetings: ColumnType<string, string | number, string | number>;
  people_mgmt: ColumnType<string, string | number, string | number>;
  improvement: ColumnType<string, string | number, string | number>;
  operational: ColumnType<string, string | number, string | number>;
  other: ColumnType<string, string | number, string | number>;
  submitted_at: Timestamp;
  updated_at: Timestamp;
}

export interface PulseRoundSummaryTable {
  round_id: number;
  organisation_id: number;
  opens_on: string;
  responses: number;
  upward: ColumnType<string, string | number, string | number>;
  meetings: ColumnType<string, string | number, string | number>;
  people_mgmt: ColumnType<string, string | number, string | number>;
  improvement: ColumnType<string, string | number, string | number>;
  operational: ColumnType<string, string | number, string | number>;
  other: ColumnType<string, string | number, string | number>;
}

export interface PulseRemindersTable {
  round_id: number;
  person_id: number;
  kind: 'opening' | 'closing';
  sent_at: Timestamp;
}

/** Generator marks added by migration 20261127_0610_burden_trend (declaration merging with the tables above). */
export interface BurdenReturnsTable {
  synthetic: Generated<boolean>;
}
export interface BurdenDataItemsTable {
  synthetic: Generated<boolean>;
}
export interface BurdenEffortsTable {
  synthetic: Generated<boolean>;
}

/** The burden over time (migration 20261127_0610_burden_trend). */
export interface BurdenTrendTable {
  level: 'organisation' | 'icb' | 'region' | 'nation';
  area_id: number;
  month_end: string;
  hours_year: ColumnType<string, string | number, string | number>;
  cost_year: ColumnType<string, string | number, string | number>;
  uncosted_hours_year: ColumnType<string, string | number, string | number>;
  organisations: number;
  refreshed_at: Timestamp;
}

export interface DB {
  pulse_settings: PulseSettingsTable;
  pulse_rounds: PulseRoundsTable;
  pulse_responses: PulseResponsesTable;
  pulse_round_summary: PulseRoundSummaryTable;
  pulse_reminders: PulseRemindersTable;
  burden_trend: BurdenTrendTable;
}

// Stored 360 reports and imported record sections (migration 20261128_0100_feedback_reports; features
// src/features/feedback and src/features/plans).
export interface FeedbackReportsTable {
  round_id: number;
  report: ColumnType<unknown, string, string>;
  chart: ColumnType<unknown, string | null, string | null>;
  framework_title: string;
  framework_version: number;
  computed_at: Generated<Timestamp>;
}

export interface ImportedRecordItemsTable {
  id: Generated<number>;
  import_id: number;
  person_id: number;
  section: 'feedback' | 'appraisals' | 'learning';
  item_key: string;
  content: ColumnType<unknown, string, string>;
}

export interface DB {
  feedback_reports: FeedbackReportsTable;
  imported_record_items: ImportedRecordItemsTable;
}

// Management workload, second part (migration 20261128_0300_workload_refresh_teams; features
// src/features/priorities and src/features/pulse).
export interface PriorityRefreshRequestsTable {
  id: Generated<number>;
  /** Null: every organisation. */
  organisation_ids: number[] | null;
  reason: string;
  requested_at: Timestamp;
  done_at: Timestamp | null;
}

export interface PulseResponsesTable {
  team_id: number | null;
}

/** The same sums as an organisation's round summary, per team. */
export interface PulseTeamSummaryTable extends PulseRoundSummaryTable {
  team_id: number;
}

export interface DB {
  priority_refresh_requests: PriorityRefreshRequestsTable;
  pulse_team_summary: PulseTeamSummaryTable;
}

/** One narrow row per published programme, kept by a trigger on programmes (migration 20261128_0200). */
export interface CatalogueSearchTable {
  programme_id: number;
  title: string;
  provider_id: number;
  level: ManagementLevel;
  format: ProgrammeFormat;
  scope: ProgrammeScope;
  area_region_id: number | null;
  cost_pounds: number;
  funding: ProgrammeFunding;
  next_cohort_start: string | null;
  accredited: boolean;
  search: ColumnType<string, never, never>;
}

export interface DB {
  catalogue_search: CatalogueSearchTable;
}

// Stored self-assessment results (migration 20261128_0600_assessment_results; feature src/features/assessments).
export interface SelfAssessmentResultsTable {
  assessment_id: number;
  result: ColumnType<unknown, string, string>;
  chart: ColumnType<unknown, string, string>;
  computed_at: Generated<Timestamp>;
}

export interface DB {
  self_assessment_results: SelfAssessmentResultsTable;
}

// The pulse's team view, stored per closed round (migration 20261129_0400_pulse_team_disclosure; src/features/pulse).
export interface PulseTeamPeriodsTable {
  round_id: number;
  organisation_id: number;
  opens_on: string;
  tree_hash: string;
  minimum: number;
  responses: number;
  upward: ColumnType<string, string | number, string | number>;
  meetings: ColumnType<string, string | number, string | number>;
  people_mgmt: ColumnType<string, string | number, string | number>;
  improvement: ColumnType<string, string | number, string | number>;
  operational: ColumnType<string, string | number, string | number>;
  other: ColumnType<string, string | number, string | number>;
  computed_at: Generated<Timestamp>;
}

/** A team's figure in a closed round (its answers and those of every team under it) with its disclosure decision. */
export interface PulseTeamDisclosureTable {
  round_id: number;
  team_id: number;
  responses: number;
  upward: number;
  meetings: number;
  people_mgmt: number;
  improvement: number;
  operational: number;
  other: number;
  hidden: boolean;
  own_hidden: boolean;
}

export interface DB {
  pulse_team_periods: PulseTeamPeriodsTable;
  pulse_team_disclosure: PulseTeamDisclosureTable;
}
