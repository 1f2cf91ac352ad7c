import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { cx } from "./ui";
// Installs the human fallback messages for every schema the browser validates.
import "~/lib/zod-messages";

const control =
  "block w-full rounded-md border-0 px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

function ring(errors: string[] | undefined) {
  return errors?.length ? "ring-red-400" : "ring-zinc-300";
}

/**
 * A field's errors with those of its parts: a textarea of one value per line or a checkbox group
 * gets its errors at "bannerUrls[2]" or "niches[0]", which belong under the field too.
 */
export function errorsOf(field: { allErrors: Record<string, string[]> }): string[] | undefined {
  const errors = [...new Set(Object.values(field.allErrors).flat())];
  return errors.length ? errors : undefined;
}

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1.5 text-sm text-red-600">
      {errors.join(" ")}
    </p>
  );
}

export function FormErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
      {errors.join(" ")}
    </div>
  );
}

type Meta = FieldMetadata<string | undefined>;

/*
 * A failed submission is re-rendered from what was posted, and a hand-made request can post any
 * shape under a field's name (`niches.x=1`, `terms=abc`). Lists are read back through these two,
 * which treat a shape the form never sends as no entries.
 */

/** The values submitted for a multi-value field (checkboxes, a multiple select). */
export function submittedValues(field: { initialValue?: unknown }): string[] {
  const value = field.initialValue;
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** conform's getFieldList, without its throw when the submitted value under the name is not a list. */
export function fieldList<F extends { initialValue?: unknown; getFieldList: () => unknown[] }>(field: F): ReturnType<F["getFieldList"]> {
  const value = field.initialValue;
  return (value === undefined || Array.isArray(value) ? field.getFieldList() : []) as ReturnType<F["getFieldList"]>;
}

export function TextField({
  field,
  label,
  type = "text",
  hint,
  ...rest
}: {
  field: Meta;
  label: string;
  type?: "text" | "email" | "password" | "url" | "date";
  hint?: ReactNode;
  autoComplete?: string;
  placeholder?: string;
}) {
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input {...getInputProps(field, { type })} key={field.key} {...rest} className={cx("mt-1.5", control, ring(errorsOf(field)))} />
      {hint ? <p className="mt-1.5 text-xs text-zinc-500">{hint}</p> : null}
      <FieldErrors id={field.errorId} errors={errorsOf(field)} />
    </div>
  );
}

export function TextAreaField({ field, label, hint, rows = 4 }: { field: Meta; label: string; hint?: ReactNode; rows?: number }) {
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <textarea {...getTextareaProps(field)} key={field.key} rows={rows} className={cx("mt-1.5", control, ring(errorsOf(field)))} />
      {hint ? <p className="mt-1.5 text-xs text-zinc-500">{hint}</p> : null}
      <FieldErrors id={field.errorId} errors={errorsOf(field)} />
    </div>
  );
}

export function SelectField({
  field,
  label,
  options,
  placeholder,
}: {
  field: Meta;
  label: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <select {...getSelectProps(field)} key={field.key} className={cx("mt-1.5", control, ring(errorsOf(field)))}>
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={errorsOf(field)} />
    </div>
  );
}

/** A group of checkboxes that submits every checked value under one name. */
export function CheckboxGroup({
  field,
  label,
  options,
  columns = 2,
}: {
  field: FieldMetadata<string[] | undefined>;
  label: string;
  options: { value: string; label: string }[];
  columns?: 2 | 3;
}) {
  const selected = new Set(submittedValues(field));
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800">{label}</legend>
      <div className={cx("mt-2 grid gap-2", columns === 3 ? "sm:grid-cols-3" : "sm:grid-cols-2")}>
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 text-sm text-zinc-700">
            <input
              type="checkbox"
              name={field.name}
              value={o.value}
              defaultChecked={selected.has(o.value)}
              className="size-4 rounded border-zinc-300 text-indigo-600"
            />
            {o.label}
          </label>
        ))}
      </div>
      <FieldErrors id={field.errorId} errors={errorsOf(field)} />
    </fieldset>
  );
}
