// tests/lib/mmdb-write.mjs: a minimal MaxMind DB writer for test fixtures (https://maxmind.github.io/MaxMind-DB/):
// an IPv4 search tree with 24-bit records, the data section, the metadata. Enough for a GeoIP database of a few
// networks that libmaxminddb (and mmdblookup) read; not a general tool.
import { writeFileSync } from 'node:fs';

// The data section's encoding: a control byte (type in the top 3 bits, size in the low 5), extended types after it.
function control(type, size) {
	const ext = type > 7;
	const head = [(ext ? 0 : type << 5)];
	const tail = ext ? [type - 7] : [];
	let sizeBytes = [];
	if (size < 29)
		head[0] |= size;
	else if (size < 285) {
		head[0] |= 29;
		sizeBytes = [size - 29];
	} else if (size < 65821) {
		head[0] |= 30;
		const v = size - 285;
		sizeBytes = [v >> 8, v & 0xff];
	} else {
		head[0] |= 31;
		const v = size - 65821;
		sizeBytes = [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
	}
	return Buffer.from([...head, ...tail, ...sizeBytes]);
}

function uint(type, n) {
	const bytes = [];
	for (let v = BigInt(n); v > 0n; v >>= 8n)
		bytes.unshift(Number(v & 0xffn));
	return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

// A JS value as MaxMind DB data: strings, non-negative integers (uint32, or {uint16}/{uint64} to say), arrays and
// plain objects (maps with string keys).
export function encode(v) {
	if (typeof v === 'string') {
		const b = Buffer.from(v, 'utf8');
		return Buffer.concat([control(2, b.length), b]);
	}
	if (typeof v === 'number')
		return uint(6, v);
	if (Array.isArray(v))
		return Buffer.concat([control(11, v.length), ...v.map(encode)]);
	if (v && 'uint16' in v)
		return uint(5, v.uint16);
	if (v && 'uint64' in v)
		return uint(9, v.uint64);
	const keys = Object.keys(v);
	return Buffer.concat([control(7, keys.length), ...keys.flatMap((k) => [encode(k), encode(v[k])])]);
}

// The bits of an IPv4 network "a.b.c.d/len", most significant first.
function bits(network) {
	const [addr, len] = network.split('/');
	const n = addr.split('.').reduce((acc, x) => (acc << 8n) | BigInt(Number(x)), 0n);
	const out = [];
	for (let i = 0; i < Number(len ?? 32); i++)
		out.push(Number((n >> BigInt(31 - i)) & 1n));
	return out;
}

// The database for entries [{network: "127.0.0.0/8", data: {...}}] (IPv4, no overlapping networks) as a Buffer.
export function mmdb(entries, { databaseType = 'Kefu-Test-City', description = 'kefu test fixture' } = {}) {
	// The tree: each node has two records, null (no data), {node: i} or {data: i} (the entry's index).
	const nodes = [[null, null]];
	entries.forEach((e, idx) => {
		const path = bits(e.network);
		let at = 0;
		path.forEach((b, depth) => {
			if (depth === path.length - 1) {
				nodes[at][b] = { data: idx };
				return;
			}
			if (!nodes[at][b] || !('node' in nodes[at][b])) {
				nodes.push([null, null]);
				nodes[at][b] = { node: nodes.length - 1 };
			}
			at = nodes[at][b].node;
		});
	});
	const nodeCount = nodes.length;
	const data = [];
	const offsets = [];
	let size = 0;
	for (const e of entries) {
		const b = encode(e.data);
		offsets.push(size);
		data.push(b);
		size += b.length;
	}
	// A record: a node number, node_count for "no data", or node_count + 16 + the data's offset.
	const value = (r) => (r === null ? nodeCount : 'node' in r ? r.node : nodeCount + 16 + offsets[r.data]);
	const tree = Buffer.alloc(nodeCount * 6);
	nodes.forEach(([l, r], i) => {
		tree.writeUIntBE(value(l), i * 6, 3);
		tree.writeUIntBE(value(r), i * 6 + 3, 3);
	});
	const meta = encode({
		binary_format_major_version: { uint16: 2 },
		binary_format_minor_version: { uint16: 0 },
		build_epoch: { uint64: Math.floor(Date.now() / 1000) },
		database_type: databaseType,
		description: { en: description },
		ip_version: { uint16: 4 },
		languages: ['en'],
		node_count: nodeCount,
		record_size: { uint16: 24 },
	});
	return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'), meta]);
}

// Write the database for entries to path.
export function writeMmdb(path, entries, opts) {
	writeFileSync(path, mmdb(entries, opts));
}
