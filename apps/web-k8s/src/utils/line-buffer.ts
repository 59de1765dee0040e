// A bounded buffer of log lines: the newest `capacity` lines are kept, older ones dropped. Chunks
// may end mid-line; the unfinished tail waits for the next chunk.

export class LineBuffer {
  private lines: string[] = [];
  private partial = '';
  private droppedCount = 0;

  constructor(readonly capacity: number) {}

  append(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    const excess = this.lines.length - this.capacity;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  /** Ends the stream: an unfinished last line becomes a line. */
  flush(): void {
    if (this.partial !== '') this.append('\n');
  }

  clear(): void {
    this.lines = [];
    this.partial = '';
    this.droppedCount = 0;
  }

  /** The kept lines, oldest first (a copy, so a view can hold it while more arrive). */
  snapshot(): string[] {
    return this.partial === '' ? [...this.lines] : [...this.lines, this.partial];
  }

  /** How many lines were dropped to stay within the capacity. */
  get dropped(): number {
    return this.droppedCount;
  }
}
