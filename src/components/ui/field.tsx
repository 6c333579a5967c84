import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-gray-900 shadow-sm ring-1 ring-inset placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-blue-600 read-only:bg-gray-50 read-only:text-gray-600 disabled:bg-gray-50 disabled:text-gray-500";

type FieldChrome = { label: string; error?: string | string[] | null; hint?: ReactNode };

function Chrome({ id, label, error, hint, children }: FieldChrome & { id: string; children: ReactNode }) {
  const message = Array.isArray(error) ? error[0] : error;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      {children}
      {message ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {message}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, error, hint, className = "", ...input }: FieldChrome & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const invalid = Boolean(Array.isArray(error) ? error.length : error);
  return (
    <Chrome id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`${CONTROL} ${invalid ? "ring-red-400" : "ring-gray-300"} ${className}`}
        {...input}
      />
    </Chrome>
  );
}

export function SelectField({ label, error, hint, children, className = "", ...select }: FieldChrome & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  const invalid = Boolean(Array.isArray(error) ? error.length : error);
  return (
    <Chrome id={id} label={label} error={error} hint={hint}>
      <select id={id} aria-invalid={invalid || undefined} className={`${CONTROL} ${invalid ? "ring-red-400" : "ring-gray-300"} ${className}`} {...select}>
        {children}
      </select>
    </Chrome>
  );
}

export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </div>
  );
}
