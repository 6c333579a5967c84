import { TRPCClientError } from "@trpc/client";

export type FieldErrors = Record<string, string[] | undefined>;

type ErrorData = { code?: string; httpStatus?: number; fieldErrors?: FieldErrors | null; formErrors?: string[] | null };

function dataOf(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

/** Field errors from the server's error formatter (`error.data.fieldErrors`), keyed by input field. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  return dataOf(error)?.fieldErrors ?? {};
}

/** One message for the form as a whole: the first form error, else the error's message. */
export function formErrorOf(error: unknown): string | null {
  if (!error) return null;
  const data = dataOf(error);
  if (data?.formErrors?.length) return data.formErrors[0] ?? null;
  if (data?.fieldErrors && Object.keys(data.fieldErrors).length) return null;
  return error instanceof Error ? error.message : "Something went wrong";
}
