/** IPC namespaces this package owns on the cluster channel (seam 4). */
export const HEALTH_NAMESPACE = 'kf:health';
export const METRICS_NAMESPACE = 'kf:metrics';
