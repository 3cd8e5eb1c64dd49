/** Categories: create, rename, delete. */
import { useEffect, useState } from 'preact/hooks';
import { api, problem, type Answer } from '../api';
import { Field, Notice, useSubmit } from '../forms';

type Category = Answer<'/api/categories', 'get'>['items'][number];

export function Categories() {
  const [items, setItems] = useState<Category[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => void api.GET('/api/categories').then(({ data }) => data && setItems(data.items));
  useEffect(load, []);
  const create = useSubmit(
    ({ name, slug }) => api.POST('/api/categories', { body: { name, slug: slug || undefined } }),
    (_data, form) => (form.reset(), load()),
  );
  const rename = async (slug: string, name: string) => {
    const { error } = await api.PATCH('/api/categories/{slug}', { params: { path: { slug } }, body: { name } });
    setError(error ? problem(error) : null);
    load();
  };
  const remove = async (slug: string) => {
    const { error } = await api.DELETE('/api/categories/{slug}', { params: { path: { slug } } });
    setError(error ? problem(error) : null);
    load();
  };
  return (
    <section>
      <h1>Categories</h1>
      <Notice text={error} />
      <ul class="plain rows">
        {items.map((c) => (
          <li key={c.slug}>
            <form onSubmit={(e) => (e.preventDefault(), void rename(c.slug, new FormData(e.currentTarget).get('name') as string))} class="inline">
              <label for={`cat-${c.slug}`} class="sr-only">
                Name of {c.slug}
              </label>
              <input id={`cat-${c.slug}`} name="name" defaultValue={c.name} required /> <code>{c.slug}</code> <button type="submit">Rename</button>{' '}
              <button type="button" class="secondary" onClick={() => void remove(c.slug)} aria-label={`Delete ${c.name}`}>
                Delete
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>New category</h2>
      <form onSubmit={(e) => void create.onSubmit(e)} class="stack" aria-label="New category">
        <Notice text={create.message} />
        <Field name="name" label="Name" errors={create.errors} required />
        <Field name="slug" label="Slug (optional, from the name)" errors={create.errors} />
        <button type="submit" disabled={create.busy}>
          Create category
        </button>
      </form>
    </section>
  );
}
