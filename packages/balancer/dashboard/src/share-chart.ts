const POINTS = 60;
const PALETTE = ['#0969da', '#1a7f37', '#bf3989', '#9a6700', '#8250df', '#cf222e', '#1b7c83'];

/** Each backend's colour, the same one for as long as the page is open. */
export class Colours {
  readonly #assigned = new Map<string, string>();

  of(url: string): string {
    let colour = this.#assigned.get(url);
    if (!colour) {
      colour = PALETTE[this.#assigned.size % PALETTE.length]!;
      this.#assigned.set(url, colour);
    }
    return colour;
  }
}

/**
 * The share of traffic per backend over the last minute, one point a second, as stacked areas
 * (each second's shares add up to 100 %, or the column stays empty when nothing was sent).
 */
export class ShareChart {
  readonly #canvas: HTMLCanvasElement;
  readonly #colours: Colours;
  readonly #history: Map<string, number>[] = [];

  constructor(canvas: HTMLCanvasElement, colours: Colours) {
    this.#canvas = canvas;
    this.#colours = colours;
  }

  push(shares: Map<string, number>): void {
    this.#history.push(shares);
    if (this.#history.length > POINTS) this.#history.shift();
    this.#draw();
  }

  #draw(): void {
    const canvas = this.#canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const step = width / (POINTS - 1);
    const offset = POINTS - this.#history.length;
    const urls = [...new Set(this.#history.flatMap((shares) => [...shares.keys()]))];
    const floor = this.#history.map(() => 0);
    for (const url of urls) {
      const top = this.#history.map((shares, index) => floor[index]! + (shares.get(url) ?? 0));
      context.beginPath();
      top.forEach((value, index) => {
        const x = (offset + index) * step;
        const y = height - value * height;
        if (index === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      for (let index = floor.length - 1; index >= 0; index--) {
        context.lineTo((offset + index) * step, height - floor[index]! * height);
      }
      context.closePath();
      context.fillStyle = this.#colours.of(url);
      context.globalAlpha = 0.75;
      context.fill();
      top.forEach((value, index) => (floor[index] = value));
    }
    context.globalAlpha = 1;
  }
}
