"use client";

import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from "react";

/** A modal on the native <dialog>: focus stays inside, Escape closes it, the page behind is inert. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  // Unmounting an open modal <dialog> leaves the page inert until the browser notices it is gone, and a
  // focus() on the opener in that gap is lost. Closing it first lifts the inertness and, per the HTML
  // spec, hands focus back to the element that had it before the dialog opened.
  useLayoutEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="w-full max-w-lg rounded-xl border border-gray-200 bg-white p-0 text-gray-900 shadow-xl"
    >
      {open && (
        <div>
          <div className="border-b border-gray-100 px-6 py-4">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
          </div>
          <div className="space-y-4 px-6 py-5 text-sm">{children}</div>
          {footer && <div className="flex justify-end gap-2 rounded-b-xl bg-gray-50 px-6 py-3">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
