/** A backend whose weight a reload changed. */
export interface ReweightedBackend {
  url: string;
  weight: number;
  previous: number;
}

/**
 * What `balancer.reload()` changed, backend by backend (URLs as the balancer keeps them). Empty
 * lists everywhere: the config was the one in use.
 */
export interface ReloadResult {
  /** In the new config and not in the balancer: in rotation now (ramped by their slow start). */
  added: string[];
  /** In the balancer and not in the new config: drained, their requests done, gone. */
  removed: string[];
  /** Their weight changed, from the next request on. */
  reweighted: ReweightedBackend[];
  /** Other settings changed (`backup`, `maxConns`, `maxFails`, `failTimeout`, `slowStart`), in place. */
  reconfigured: string[];
}
