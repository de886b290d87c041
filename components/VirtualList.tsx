import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A list that renders only the rows in view (plus a few either side), so a log of 100,000
 * observations scrolls as fast as one of ten. Rows have one fixed height. With `follow`, a list
 * scrolled to its end stays at its end as rows arrive (a live log), and one scrolled up stays put.
 */
export function VirtualList<T>(props: {
  items: T[];
  rowHeight: number;
  height: number;
  label: string;
  renderRow(item: T, index: number): ComponentChildren;
  rowKey(item: T, index: number): string;
  follow?: boolean;
}) {
  const { items, rowHeight, height } = props;
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const element = box.current;
    if (props.follow && atEnd.current && element && element.scrollHeight > element.clientHeight) element.scrollTop = element.scrollHeight;
  }, [items.length, props.follow]);
  const overscan = 6;
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return (
    <div
      ref={box}
      class="vlist"
      style={{ height: `${Math.min(height, items.length * rowHeight + 2)}px` }}
      onScroll={(e) => {
        const element = e.currentTarget;
        atEnd.current = element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight / 2;
        setScrollTop(element.scrollTop);
      }}
      role="list"
      aria-label={props.label}
      tabIndex={0}
    >
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
