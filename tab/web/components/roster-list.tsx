// The roster as a windowed list: only the rows in view (plus a few) are in the DOM, so a 1,000-person meeting
// scrolls as smoothly as a 10-person one. Group headings and rows have fixed heights, so positions are a running sum
// and the first row in view is a binary search. Keyboard: Tab lands on one row; arrows, Page Up/Down, Home and End
// move between people; Tab again reaches that row's Mute button.
import { Avatar, Button, Caption1, makeStyles, mergeClasses, shorthands, Spinner, Text, tokens } from '@fluentui/react-components';
import { HandRight16Regular, MicOff16Regular, ShareScreenStart16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { presenceLabel, presenceStatus, type PresenceView } from '../presence.js';
import { roleLabel, type RosterEntry, type RosterItem } from '../roster-model.js';

export const ROW_HEIGHT = 48;
export const HEADER_HEIGHT = 30;
const OVERSCAN = 6;

const useStyles = makeStyles({
  scroller: {
    position: 'relative',
    flexGrow: 1,
    minHeight: '120px',
    overflowY: 'auto',
    overflowX: 'hidden',
    ':focus-visible': { outlineStyle: 'solid', outlineWidth: '2px', outlineColor: tokens.colorStrokeFocus2 },
  },
  sizer: { position: 'relative', width: '100%' },
  item: { position: 'absolute', left: 0, right: 0, boxSizing: 'border-box' },
  header: {
    display: 'flex',
    alignItems: 'flex-end',
    ...shorthands.padding(0, tokens.spacingHorizontalM, tokens.spacingVerticalXXS),
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    ...shorthands.gap(tokens.spacingHorizontalS),
    ...shorthands.padding(0, tokens.spacingHorizontalS, 0, tokens.spacingHorizontalM),
    cursor: 'default',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outlineStyle: 'solid', outlineWidth: '2px', outlineOffset: '-2px', outlineColor: tokens.colorStrokeFocus2 },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected },
  text: { display: 'flex', flexDirection: 'column', minWidth: 0, flexGrow: 1 },
  name: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  detail: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
  marks: { display: 'flex', alignItems: 'center', ...shorthands.gap(tokens.spacingHorizontalXS), color: tokens.colorNeutralForeground2, flexShrink: 0 },
  muted: { color: tokens.colorPaletteRedForeground1 },
  action: { flexShrink: 0, minWidth: '32px' },
});

export interface RosterListProps {
  items: RosterItem[];
  presence: Record<string, PresenceView>;
  /** Show the per-person Mute button (organizers and presenters, with the bot in the meeting). */
  canMute: boolean;
  /** The signed-in user (no Mute button on their own row). */
  meUserId?: string;
  pendingMutes: ReadonlySet<string>;
  onMute(entry: RosterEntry): void;
  label: string;
}

function heightOf(item: RosterItem): number {
  return item.kind === 'header' ? HEADER_HEIGHT : ROW_HEIGHT;
}

function firstAtOrAfter(tops: number[], heights: number[], y: number): number {
  let lo = 0;
  let hi = tops.length - 1;
  let found = tops.length;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tops[mid]! + heights[mid]! > y) {
      found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return found;
}

export function describeEntry(entry: RosterEntry, presence: PresenceView | undefined): string {
  const parts = [entry.displayName, roleLabel(entry)];
  if (entry.inLobby) parts.push('in the lobby');
  if (entry.isMuted) parts.push('muted');
  if (entry.screenSharing) parts.push('sharing their screen');
  if (entry.handRaised) parts.push('hand raised');
  if (entry.userId) parts.push(presenceLabel(presence));
  return parts.join(', ');
}

export function RosterList({ items, presence, canMute, meUserId, pendingMutes, onMute, label }: RosterListProps) {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const focusWanted = useRef(false);

  const layout = useMemo(() => {
    const tops: number[] = new Array(items.length);
    const heights: number[] = new Array(items.length);
    let y = 0;
    items.forEach((item, i) => {
      tops[i] = y;
      heights[i] = heightOf(item);
      y += heights[i]!;
    });
    const people: number[] = [];
    items.forEach((item, i) => item.kind === 'person' && people.push(i));
    const indexOf = new Map<string, number>();
    items.forEach((item, i) => item.kind === 'person' && indexOf.set(item.entry.id, i));
    return { tops, heights, total: y, people, indexOf };
  }, [items]);

  const activeIndex = activeId !== undefined ? layout.indexOf.get(activeId) : undefined;
  const tabStop = activeIndex ?? layout.people[0];

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  const first = Math.max(0, firstAtOrAfter(layout.tops, layout.heights, scrollTop) - OVERSCAN);
  const visible: number[] = [];
  for (let i = first; i < items.length && layout.tops[i]! < scrollTop + viewport + OVERSCAN * ROW_HEIGHT; i += 1) visible.push(i);
  if (tabStop !== undefined && !visible.includes(tabStop)) visible.push(tabStop);

  const moveTo = (index: number | undefined) => {
    if (index === undefined) return;
    const item = items[index];
    if (!item || item.kind !== 'person') return;
    const el = scroller.current;
    if (el) {
      const top = layout.tops[index]!;
      // Keep the row and the heading above the first row in view.
      if (top - HEADER_HEIGHT < el.scrollTop) el.scrollTop = Math.max(0, top - HEADER_HEIGHT);
      else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
      setScrollTop(el.scrollTop);
    }
    focusWanted.current = true;
    setActiveId(item.entry.id);
  };

  useEffect(() => {
    if (!focusWanted.current || activeId === undefined) return;
    focusWanted.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(activeId)}"]`)?.focus();
  }, [activeId, scrollTop]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    if (event.target !== event.currentTarget) return; // keys inside the row's button are the button's
    const position = layout.people.indexOf(index);
    const pageRows = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const to = (p: number) => layout.people[Math.min(layout.people.length - 1, Math.max(0, p))];
    let target: number | undefined;
    if (event.key === 'ArrowDown') target = to(position + 1);
    else if (event.key === 'ArrowUp') target = to(position - 1);
    else if (event.key === 'PageDown') target = to(position + pageRows);
    else if (event.key === 'PageUp') target = to(position - pageRows);
    else if (event.key === 'Home') target = to(0);
    else if (event.key === 'End') target = to(layout.people.length - 1);
    else return;
    event.preventDefault();
    moveTo(target);
  };

  return (
    <div ref={scroller} className={styles.scroller} onScroll={onScroll} id="roster-scroller" data-total-rows={layout.people.length}>
      <div role="list" aria-label={label} className={styles.sizer} style={{ height: `${layout.total}px` }}>
        {visible.map((index) => {
          const item = items[index]!;
          const style = { top: `${layout.tops[index]}px`, height: `${layout.heights[index]}px` };
          if (item.kind === 'header') {
            return (
              <div key={`h:${item.group}`} role="listitem" aria-label={`${item.label}: ${item.count}`} className={mergeClasses(styles.item, styles.header)} style={style}>
                <span aria-hidden>
                  {item.label} · {item.count}
                </span>
              </div>
            );
          }
          const entry = item.entry;
          const p = entry.userId ? presence[entry.userId] : undefined;
          const isStop = index === tabStop;
          const pending = pendingMutes.has(entry.id);
          const mutable = canMute && !entry.isMuted && !entry.id.startsWith('user:') && !(meUserId && entry.userId?.toLowerCase() === meUserId.toLowerCase());
          return (
            <div
              key={entry.id}
              role="listitem"
              tabIndex={isStop ? 0 : -1}
              aria-label={describeEntry(entry, p)}
              aria-posinset={layout.people.indexOf(index) + 1}
              aria-setsize={layout.people.length}
              data-row-id={entry.id}
              data-name={entry.displayName}
              data-muted={entry.isMuted ? 'true' : 'false'}
              className={mergeClasses(styles.item, styles.row, index === activeIndex && styles.active)}
              style={style}
              onKeyDown={(e) => onKeyDown(e, index)}
              onFocus={(e) => e.target === e.currentTarget && setActiveId(entry.id)}
            >
              <Avatar name={entry.displayName} size={32} badge={entry.userId ? { status: presenceStatus(p) } : undefined} aria-hidden />
              <div className={styles.text} aria-hidden>
                <Text className={styles.name} size={300}>
                  {entry.displayName}
                </Text>
                <Caption1 className={styles.detail}>{[roleLabel(entry), entry.userId ? presenceLabel(p) : undefined].filter(Boolean).join(' · ')}</Caption1>
              </div>
              <span className={styles.marks} aria-hidden>
                {entry.handRaised && <HandRight16Regular />}
                {entry.screenSharing && <ShareScreenStart16Regular data-mark="sharing" />}
                {entry.isMuted && <MicOff16Regular className={styles.muted} data-mark="muted" />}
              </span>
              {mutable && (
                <Button
                  className={styles.action}
                  appearance="subtle"
                  size="small"
                  tabIndex={isStop ? 0 : -1}
                  icon={pending ? <Spinner size="extra-tiny" /> : undefined}
                  aria-label={`Mute ${entry.displayName}`}
                  disabled={pending}
                  data-action="mute"
                  onClick={() => onMute(entry)}
                >
                  Mute
                </Button>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
