/** One linear SVM of the ensemble: which view it reads and how it is trained. */
export interface MemberSpec {
  /** Index into `views`. */
  view: number;
  nb: boolean;
  c: number;
  /** Class-balanced costs; absent in models written before selection existed, where it was always on. */
  balanced?: boolean;
}
