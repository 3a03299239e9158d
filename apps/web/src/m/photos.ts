/** A photo in a step's form: Vant's uploader item plus the compressed image once it is ready. */
export interface Photo {
  file?: File;
  status?: '' | 'uploading' | 'done' | 'failed';
  message?: string;
  blob?: Blob;
  task?: Promise<void>;
}

/** The compressed images, once every photo still compressing is done. */
export async function settled(list: Photo[]): Promise<Blob[]> {
  await Promise.all(list.map((p) => p.task));
  return list.flatMap((p) => (p.blob ? [p.blob] : []));
}
