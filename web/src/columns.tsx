/** A table's header row; `hidden` names a last column of buttons for screen readers only. */
export function Columns({ names, hidden }: { names: string[]; hidden?: string }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th scope="col">{name}</th>
        ))}
        {hidden && (
          <th scope="col">
            <span class="sr-only">{hidden}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
