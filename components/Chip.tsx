import type { ComponentChildren } from 'preact';

/** A small labelled tag. Its meaning is always in the text; the colour only repeats it. */
export function Chip({ tone, title, children }: { tone: string; title?: string; children: ComponentChildren }) {
  return (
    <span class={`chip chip--${tone}`} title={title}>
      {children}
    </span>
  );
}
