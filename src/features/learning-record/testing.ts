import type { Client, TestContext } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { hashToken, newToken } from '../../plugins/session.ts';

/** Upload a CSV through a page's multipart form, as the browser sends it (CSRF token first, then the file). */
export async function uploadCsv(ctx: TestContext, client: Client, url: string, filename: string, content: string) {
  const csrf = await client.csrf(url);
  const boundary = '----leadwelltest';
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n` +
    `--${boundary}--\r\n`;
  return ctx.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: client.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** An API token for an account, acting with one of its grants (null: the personal role). */
export async function apiToken(db: Database, accountId: number, roleGrantId: number | null) {
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      account_id: accountId,
      name: `test ${token.slice(0, 6)}`,
      token_hash: hashToken(token),
      prefix: token.slice(0, 6),
      role_grant_id: roleGrantId,
    })
    .execute();
  return { authorization: `Bearer ${token}` };
}

export async function grantIdOf(db: Database, accountId: number) {
  const g = await db
    .selectFrom('role_grants')
    .select('id')
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return g.id;
}
