/** Users: who they are, their role, removal. */
import { useEffect, useState } from 'preact/hooks';
import { api, problem, type User } from '../api';
import { Notice } from '../forms';
import { when } from '../labels';
import { session } from '../session';
import { Columns } from '../columns';

export function Users() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [page, setPage] = useState(1);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.GET('/api/users', { params: { query: { page, limit: 50 } } }).then(({ data }) => {
      setUsers(data?.items ?? []);
      setTotal(data?.total ?? 0);
    });
  }, [page]);
  const update = (moved: User) => setUsers((all) => all?.map((u) => (u.id === moved.id ? moved : u)) ?? null);
  const setRole = async (id: string, role: User['role']) => {
    const { data, error } = await api.PATCH('/api/users/{id}', { params: { path: { id } }, body: { role } });
    setError(error ? problem(error) : null);
    if (data) update(data.user);
  };
  const remove = async (user: User) => {
    if (!confirm(`Delete the account of ${user.email}?`)) return;
    const { error } = await api.DELETE('/api/users/{id}', { params: { path: { id: user.id } } });
    setError(error ? problem(error) : null);
    if (!error) setUsers((all) => all?.filter((u) => u.id !== user.id) ?? null);
  };
  if (!users) return <p aria-busy="true">Loading…</p>;
  return (
    <section>
      <h1>Users</h1>
      <Notice text={error} />
      <table class="lines">
        <Columns names={['Name', 'Email', 'Since', 'Role']} hidden="Delete" />
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>
                {u.email} {u.emailVerified ? '' : <small>(not verified)</small>}
              </td>
              <td>{when(u.createdAt)}</td>
              <td>
                <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === session.value?.id} onChange={(e) => void setRole(u.id, e.currentTarget.value as User['role'])}>
                  <option value="customer">customer</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td>
                {u.id !== session.value?.id && (
                  <button type="button" class="secondary" onClick={() => void remove(u)} aria-label={`Delete ${u.email}`}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages" class="pages">
        {page > 1 && (
          <button type="button" class="link" onClick={() => setPage(page - 1)}>
            Previous
          </button>
        )}
        {total > page * 50 && (
          <button type="button" class="link" onClick={() => setPage(page + 1)}>
            Next
          </button>
        )}
      </nav>
    </section>
  );
}
