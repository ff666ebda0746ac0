import { headerCase, nginxBlock, nginxQuoted } from './config-text.js';
import type { ExportInput } from './export-options.js';
import type { ExportNotes } from './export-notes.js';
import { requestVariable } from './nginx-upstream.js';

/** The request headers as the balancer sends them upstream, in nginx's terms. */
export interface NginxHeaders {
  /** `geo` and `map` blocks for the http context. */
  maps: string[];
  /** `proxy_set_header` and `add_header` lines for the location. */
  directives: string[];
}

/**
 * What the balancer writes on the way through: Host as the client sent it, X-Forwarded-For,
 * -Proto, -Host and an RFC 7239 Forwarded element (the client's own values kept only from a hop
 * `trustProxy` trusts), Via both ways, the request id, and upgrades passed through. nginx's
 * `map` and `geo` blocks make each value from the request, as the balancer does per request.
 */
export function nginxHeaders(input: ExportInput, notes: ExportNotes): NginxHeaders {
  const { name } = input;
  const { forwarding } = input.balancer;
  const v = (what: string) => `$${name}_${what}`;
  const maps: string[][] = [
    // Connection "" keeps the upstream connection alive; an upgrade asks for the tunnel.
    nginxBlock(`map $http_upgrade ${v('connection')}`, ['default upgrade;', '"" "";']),
    nginxBlock(`map $remote_addr ${v('forwarded_for')}`, [
      `"~:" ${nginxQuoted(`"[$remote_addr]"`)};`,
      'default $remote_addr;',
    ]),
    nginxBlock(`map $http_host ${v('forwarded_host')}`, [
      '"" "";',
      `"~^[\\w.-]+$" ";host=$http_host";`,
      `default ${nginxQuoted(';host="$http_host"')};`,
    ]),
  ];
  const directives = [
    'proxy_set_header Upgrade $http_upgrade;',
    `proxy_set_header Connection ${v('connection')};`,
    'proxy_set_header Host $http_host;',
  ];
  const element = `for=${v('forwarded_for')}${v('forwarded_host')};proto=$scheme`;
  const trusted = forwarding.trust.trusted;
  if (trusted === false || (Array.isArray(trusted) && trusted.length === 0)) {
    directives.push(
      'proxy_set_header X-Forwarded-For $remote_addr;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-Host $http_host;',
      `proxy_set_header Forwarded ${nginxQuoted(element)};`,
    );
  } else {
    const ranges = trusted === true ? [] : trusted.map((range) => `${range} 1;`);
    maps.push(
      nginxBlock(`geo ${v('trusted')}`, [`default ${trusted === true ? 1 : 0};`, ...ranges]),
      nginxBlock(`map ${v('trusted')} ${v('x_forwarded_for')}`, [
        '1 $proxy_add_x_forwarded_for;',
        'default $remote_addr;',
      ]),
      keptFromTrusted(v, 'x_forwarded_proto', '$http_x_forwarded_proto', '$scheme'),
      keptFromTrusted(v, 'x_forwarded_host', '$http_x_forwarded_host', '$http_host'),
      keptFromTrusted(v, 'forwarded_before', '$http_forwarded', '""', ', '),
    );
    directives.push(
      `proxy_set_header X-Forwarded-For ${v('x_forwarded_for')};`,
      `proxy_set_header X-Forwarded-Proto ${v('x_forwarded_proto')};`,
      `proxy_set_header X-Forwarded-Host ${v('x_forwarded_host')};`,
      // In braces: a letter right after a variable's name would be read as part of it.
      `proxy_set_header Forwarded ${nginxQuoted(`\${${v('forwarded_before').slice(1)}}${element}`)};`,
    );
  }
  if (forwarding.via) {
    const hop = (version: string) => nginxQuoted(`${version} ${forwarding.via}`);
    maps.push(
      nginxBlock(`map $server_protocol ${v('via_hop')}`, [
        `HTTP/1.0 ${hop('1.0')};`,
        `default ${hop('1.1')};`,
      ]),
      nginxBlock(`map $http_via ${v('via')}`, [
        `"" ${v('via_hop')};`,
        `default ${nginxQuoted(`$http_via, ${v('via_hop')}`)};`,
      ]),
    );
    directives.push(`proxy_set_header Via ${v('via')};`, `add_header Via ${hop('1.1')} always;`);
  }
  const header = forwarding.requestIdHeader;
  if (header) {
    const variable = requestVariable('header', header);
    if (variable) {
      // As the balancer does: the client's id when it is plain printable text, else a new one.
      maps.push(
        nginxBlock(`map ${variable} ${v('request_id')}`, [
          `"~^[!-~]{1,200}$" ${variable};`,
          'default $request_id;',
        ]),
      );
      directives.push(`proxy_set_header ${headerCase(header)} ${v('request_id')};`);
    } else {
      notes.add(
        `nginx cannot read the request id header ${header} (requestId): every request gets a ` +
          `new id ($request_id) instead of keeping the client's.`,
      );
      directives.push(`proxy_set_header ${headerCase(header)} $request_id;`);
    }
  }
  return { maps: maps.flat(), directives };
}

/** `$<name>_<what>`: the header's value when a trusted hop sent one, else `fallback`. */
function keptFromTrusted(
  v: (what: string) => string,
  what: string,
  header: string,
  fallback: string,
  suffix = '',
): string[] {
  // A numbered capture: PCRE bounds a named one to 32 characters, less than a long name needs.
  return nginxBlock(`map "${v('trusted')}:${header}" ${v(what)}`, [
    `"~^1:(.+)$" ${suffix ? nginxQuoted(`$1${suffix}`) : '$1'};`,
    `default ${fallback};`,
  ]);
}
