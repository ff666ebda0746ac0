/** Whole numbers below 10 with one decimal (rates), others rounded, with thousands separators. */
export function rate(value: number): string {
  return value < 10 && value > 0 ? value.toFixed(1) : Math.round(value).toLocaleString('en');
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

export function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function clock(at: string | undefined): string {
  const date = at ? new Date(at) : new Date();
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

/**
 * A colour swatch. Its colour is set through the CSSOM: the page's Content-Security-Policy
 * refuses inline `style` attributes.
 */
export function swatch(colour: string): HTMLElement {
  const node = document.createElement('i');
  node.className = 'swatch';
  node.style.backgroundColor = colour;
  return node;
}

/** An element with text and attributes, the page's one way to build DOM (no innerHTML). */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
