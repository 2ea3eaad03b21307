import type pg from 'pg'

/**
 * md5 over every row of every table and materialized view in public, rows sorted by their text.
 * Transaction ids (sync_xid, xid8) are left out: they depend on the server's history, not on
 * the data. Bookkeeping of the migration runner and of the usage fold is left out too (they
 * record when they ran), and so are the catalogues a migration fills (their stamps say when it
 * ran; the seed writes none: moderation settings and reasons, credential policies), the identity hash key (a per-database
 * secret the migration draws at random) and the per-state template counts (derived from templates, which are compared;
 * their stamps say when they moved), and the sync's kept tenant digests (derived from tenants and limits, which are compared;
 * their stamps say when the migration ran).
 */
export async function tableChecksums(client: pg.Client): Promise<Record<string, string>> {
  const { rows: relations } = await client.query<{ name: string; columns: string[] }>(`
    select c.relname as name,
           array_agg(quote_ident(a.attname) order by a.attnum) as columns
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.atttypid <> 'xid8'::regtype
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'm') and not c.relispartition
       and c.relname not in ('migrations', 'app_installation', 'usage_fold_state', 'moderation_settings', 'moderation_reasons', 'identity_hash_key', 'maintenance_settings',
                             'template_state_counts', 'credential_policies', 'all_tenant_digests')
     group by c.relname
     order by c.relname`)
  const sums: Record<string, string> = {}
  for (const { name, columns } of relations) {
    const { rows } = await client.query<{ sum: string | null; n: string }>(
      `select md5(string_agg(r, E'\\n' order by r)) as sum, count(*) as n from (select row(${columns.join(', ')})::text as r from public.${name}) s`
    )
    sums[name] = `${rows[0]!.n}:${rows[0]!.sum ?? 'empty'}`
  }
  return sums
}
