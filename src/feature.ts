import type { FastifyInstance } from 'fastify';
import type { Deps } from './deps.ts';

export interface AppContext {
  deps: Deps;
  /** Demo mode: the sign-in page offers demo personas and every page carries a demo banner. */
  demoMode: boolean;
}

/** What a feature folder contributes to the web app. Registered in the one list in app.ts. */
export interface Feature {
  name: string;
  /** HTML pages. */
  routes?: (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;
  /** JSON API under /api/v1, described in the OpenAPI document. */
  api?: (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;
}
