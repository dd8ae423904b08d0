// Turns a chat message into a command name and its arguments: mention stripped, case-insensitive, with
// close-match suggestions for typos.

export interface ParsedCommand {
  word: string;
  args: string;
}

export function splitCommand(text: string): ParsedCommand {
  const cleaned = text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = cleaned.split(' ');
  return { word: first.toLowerCase(), args: rest.join(' ') };
}

/** Names within edit distance 2 (or sharing a prefix of 3+), closest first. */
export function suggest(word: string, names: string[]): string[] {
  return names
    .map((name) => ({ name, distance: editDistance(word, name) }))
    .filter(({ name, distance }) => distance <= 2 || (word.length >= 3 && name.startsWith(word.slice(0, 3))))
    .sort((a, b) => a.distance - b.distance)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
