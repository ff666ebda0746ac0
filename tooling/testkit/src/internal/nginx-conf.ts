import { join } from 'node:path';

/**
 * Wraps the servers/upstreams a test writes into a complete nginx.conf that keeps every file
 * nginx writes (pid, logs, temp bodies) inside `dir`, so it runs unprivileged-path-free as root.
 */
export function wrapNginxConfig(httpBody: string, dir: string): string {
  const temp = (name: string): string => join(dir, `${name}_temp`);
  return `daemon off;
master_process on;
user root;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;

events {
  worker_connections 1024;
}

http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};

${httpBody}
}
`;
}
