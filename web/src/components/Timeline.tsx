// What happened to an enrollment, oldest first; long histories show their latest entries first
// and expand on request.
import { useState } from 'react';
import type { Enrollment } from '../api/types.ts';
import { formatDateTime } from '../format.ts';

const SHOWN = 6;

export function Timeline({ entries, id }: { entries: Enrollment['timeline']; id: string }) {
  const [expanded, setExpanded] = useState(false);
  const hidden = expanded ? 0 : Math.max(0, entries.length - SHOWN);
  const shown = entries.slice(hidden);
  return (
    <div className="timeline-wrap">
      <ol className="timeline" id={id}>
        {shown.map((entry, i) => (
          <li key={`${entry.at}-${i + hidden}`} className={`timeline-item timeline-${entry.type}`}>
            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            <span>{entry.detail}</span>
          </li>
        ))}
      </ol>
      {entries.length > SHOWN && (
        <button type="button" className="button-link" aria-expanded={expanded} aria-controls={id} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show only the latest events' : `Show all ${entries.length} events`}
        </button>
      )}
    </div>
  );
}
