/** One page of a listing. */
export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. */
  next?: string;
}
