/**
 * The stages of a winning project's execution, in order, as Paris publishes them (its open data:
 * not started, studies, procedures, works, delivery, and given up). Stable codes: stored, filtered
 * on in addresses, and labelled by messages "participatory-budget.tracking.status.<code>".
 */
export const TRACKING_STATUSES = ['planned', 'studies', 'procedures', 'works', 'delivered', 'abandoned'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export function isTrackingStatus(value: unknown): value is TrackingStatus {
  return (TRACKING_STATUSES as readonly unknown[]).includes(value);
}
