// tests/lib/png.mjs: a small real PNG made in the test, so the browser suites need no image fixtures.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type), data]);
	const c = Buffer.alloc(4);
	c.writeUInt32BE(crc(td));
	return Buffer.concat([len, td, c]);
}

/**
 * A w x h 8-bit RGB PNG; rgb(x, y) gives a pixel's [r, g, b] (0..255).
 * The default is a gradient: red along x, green along y, blue 160.
 */
export function png(w, h, rgb = (x, y) => [(x * 255 / w) | 0, (y * 255 / h) | 0, 160]) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++)
			raw.set(rgb(x, y), y * (w * 3 + 1) + 1 + x * 3);
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
