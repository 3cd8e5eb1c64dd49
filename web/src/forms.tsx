/** Labelled fields with the API's own words next to them (the `details` of a 400 answer). */
import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { fieldErrors, problem } from './api';

type InputProps = InputHTMLAttributes<HTMLInputElement> & { name: string; label: string; errors?: Record<string, string>; hint?: string };

let ids = 0;

export function Field({ name, label, errors, hint, ...input }: InputProps) {
  const [id] = useState(() => `f${++ids}-${name}`);
  const error = errors?.[name];
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={described} {...input} />
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Select({ name, label, children, errors, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { name: string; label: string; errors?: Record<string, string>; children: ComponentChildren }) {
  const [id] = useState(() => `f${++ids}-${name}`);
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} {...rest}>
        {children}
      </select>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A message for the whole form or page, read out by screen readers when it appears. */
export function Notice({ text, kind = 'error' }: { text?: string | null; kind?: 'error' | 'ok' }) {
  if (!text) return null;
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}

/** The values of a form's named fields. */
export const formValues = (form: HTMLFormElement) => Object.fromEntries(new FormData(form)) as Record<string, string>;

/**
 * A submit handler: runs `action` with the form's values; an API error lands next to its fields
 * (and as a notice above them when it concerns none of them).
 */
export function useSubmit<T>(action: (values: Record<string, string>, form: HTMLFormElement) => Promise<{ error?: unknown; data?: T }>, done?: (data: T, form: HTMLFormElement) => void) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setMessage(null);
    try {
      const { error, data } = await action(formValues(form), form);
      if (error) {
        const byField = fieldErrors(error);
        setErrors(byField);
        setMessage(problem(error));
        return;
      }
      setErrors({});
      done?.(data as T, form);
    } catch {
      setMessage('The shop could not be reached; check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };
  return { errors, message, busy, onSubmit, setMessage };
}

/** A secondary button whose visible word ("Remove") is completed for screen readers by `label`. */
export function RemoveButton({ label, onClick, text = 'Remove' }: { label: string; onClick: () => void; text?: string }) {
  return (
    <button type="button" class="secondary" onClick={onClick} aria-label={label}>
      {text}
    </button>
  );
}
