import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A list that renders only the rows in view (plus a few either side), so a log of 100,000
 * observations scrolls as fast as one of ten. Rows have one fixed height.
 */
export function VirtualList<T>(props: {
  items: T[];
  rowHeight: number;
  height: number;
  label: string;
  renderRow(item: T, index: number): ComponentChildren;
  rowKey(item: T, index: number): string;
}) {
  const { items, rowHeight, height } = props;
  const [scrollTop, setScrollTop] = useState(0);
  const overscan = 6;
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return (
    <div class="vlist" style={{ height: `${Math.min(height, items.length * rowHeight + 2)}px` }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="list" aria-label={props.label} tabIndex={0}>
      <div style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {items.slice(start, end).map((item, offset) => {
          const index = start + offset;
          return (
            <div key={props.rowKey(item, index)} role="listitem" aria-setsize={items.length} aria-posinset={index + 1} class="vlist__row" style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}>
              {props.renderRow(item, index)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
