// The colour of a dispute case's state in lists and on its page.
type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

const STATUS_TAGS: Record<string, TagType> = {
  registered: 'warning',
  accepted: 'primary',
  in_mediation: 'primary',
  agreed: 'success',
  confirmation_requested: 'primary',
  confirmed: 'success',
  confirmation_rejected: 'danger',
  fulfilled: 'success',
  failed: 'danger',
  closed: 'info',
};

export const statusTag = (status: string): TagType => STATUS_TAGS[status] ?? 'info';
