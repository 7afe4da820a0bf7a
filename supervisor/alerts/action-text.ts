// PURE: a catalogue action, as sent with one alert. The catalogue writes the history commands it recommends as
// `history run <id>`; each becomes the complete command for this supervisor's history (absolute node, our main.js,
// --config), filled with the alert's run id, by the formatter the log lines use, handed in as a HistoryHint.
import type { HistoryHint } from '../history/history-command.ts';

const HISTORY_SPAN = /`history ([^`]+)`/g;
const RUN_ID_PLACEHOLDER = '<id>';

export function alertAction(template: string, history: HistoryHint, runId: number | null): string {
  return template.replace(HISTORY_SPAN, (_span, args: string) => {
    const words = args.split(' ').map((word) => (word === RUN_ID_PLACEHOLDER && runId !== null ? String(runId) : word));
    return `\`${history(words)}\``;
  });
}
