/** Where a consumed message came from, as a handler sees it. */
export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}
