import type pg from 'pg'

/**
 * Executions and audit rows for the screens' tests, written as the superuser. Every row of every
 * tenant gets its own second (tenant k is offset by k seconds), so "newest first" has no ties and
 * the server's order (time, id) and the cache's (time, rid) must agree row for row.
 */
export async function fillScreensData(admin: pg.Client, tenants: string[], perTenant: number): Promise<void> {
  for (const [k, tenantId] of tenants.entries()) {
    await admin.query(`insert into workflows (tenant_id, name) select $1, 'Flow ' || g from generate_series(1, 3) g`, [tenantId])
    await admin.query(
      `with wf as (select array_agg(id order by name) ids, array_agg(name order by name) names from workflows where tenant_id = $1)
       insert into executions (tenant_id, workflow_id, workflow_name, status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at)
       select $1, wf.ids[1 + g % 3], wf.names[1 + g % 3],
              (array['success', 'error', 'running', 'success', 'canceled'])[1 + g % 5],
              jsonb_build_object('order', g, 'customer', jsonb_build_object('name', 'Ana ' || g)),
              case when g % 5 <> 1 then jsonb_build_object('ok', true) end,
              case when g % 5 = 1 then jsonb_build_object('message', (array['timeout calling stripe', 'quota exhausted for openai', 'invalid credentials for slack'])[1 + g % 3]) end,
              case when g % 5 = 1 then (array['timeout calling stripe', 'quota exhausted for openai', 'invalid credentials for slack'])[1 + g % 3] || ' (attempt ' || g || ')' end,
              g * 10, now() - make_interval(secs => g * $3 + $2), now() - make_interval(secs => g * $3 + $2) + interval '1.5 seconds'
       from wf, generate_series(1, $4) g`,
      [tenantId, k, tenants.length + 1, perTenant]
    )
    await admin.query(
      `insert into execution_steps (tenant_id, execution_id, step_index, step_name, status, started_at, completed_at, input_data, output_data, error_message)
       select e.tenant_id, e.id, s, 'step ' || s, case when e.status = 'error' and s = 2 then 'error' else 'success' end,
              e.started_at + make_interval(secs => s * 0.25), e.started_at + make_interval(secs => s * 0.25 + 0.2),
              jsonb_build_object('step', s), jsonb_build_object('done', s < 2), case when e.status = 'error' and s = 2 then e.error_message end
       from executions e, generate_series(0, 2) s where e.tenant_id = $1`,
      [tenantId]
    )
    // The tenant's own creation row shares its timestamp with its siblings': without it no two rows tie.
    await admin.query('delete from audit_logs where tenant_id = $1', [tenantId])
    await admin.query(
      `insert into audit_logs (tenant_id, actor, action, resource_type, resource_id, old_values, new_values, created_at)
       select $1, (array['alice', 'bob', '=SUM(A1:A9)', 'carol'])[1 + g % 4], (array['INSERT', 'UPDATE', 'DELETE'])[1 + g % 3],
              (array['tenants', 'workflows', 'tenant_credentials'])[1 + g % 3], gen_random_uuid(),
              case when g % 3 <> 0 then jsonb_build_object('plan', 'starter', 'note', 'line one' || chr(10) || 'say "hi", ok', 'client_secret_encrypted', jsonb_build_object('redacted', true, 'fingerprint', 'a1b2c3d4e5f6')) end,
              case when g % 3 <> 2 then jsonb_build_object('plan', case when g % 50 = 0 then 'zirconium' else 'growth' end, 'formula', '+1-2') end,
              now() - make_interval(secs => g * $3 + $2)
       from generate_series(1, $4) g`,
      [tenantId, k, tenants.length + 1, perTenant]
    )
    await admin.query('select app.audit_rechain($1)', [tenantId])
  }
}
