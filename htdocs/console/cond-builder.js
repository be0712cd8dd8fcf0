/* cond-builder.js: the console's builders instead of JSON boxes: a reorderable list (drag, or arrow buttons for the
 * keyboard), a condition builder over a page's field list, and their automatic mounting on [data-cond-builder].
 *
 * A page with one set of conditions needs no script of its own:
 *   <input type="hidden" name="match" id="m" value='"all"'/>
 *   <div data-cond-builder="1" data-input="m" data-config='{"fields": [...], "labels": {...}}'></div>
 * (config from pages/builders.h: cb_config(r, fields), fields from cb_cond_fields and cb_field/cb_option).
 * A page whose fields differ (proactive triggers: page.url, visitor.pages_viewed...) lists its own, with
 * "ops" per field where the default by type does not fit, e.g.
 *   {id: "visitor.pages_viewed", label: "Pages viewed", type: "number", ops: ["gte", "lte", "eq"]}
 * (labels op_gt, op_gte, op_lt, op_lte are in cb_labels). From a script:
 *   var c = KefuBuild.conditions(el, {fields, labels, value, onchange}); c.value() / c.conditions()
 */
(function (root) {
	'use strict';

	/* Labels come from the page (the i18n catalog, see page_labels in src/pages/pages.h); the key is the fallback. */
	function labeller(labels) {
		return function (k) { return (labels && labels[k]) || k; };
	}

	function el(tag, attrs, kids) {
		var e = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (a) {
			var v = attrs[a];
			if (v === undefined || v === null || v === false) return;
			if (a === 'text') e.textContent = v;
			else if (a === 'value') e.value = v;
			else if (a === 'checked') e.checked = !!v;
			else if (a === 'on') Object.keys(v).forEach(function (t) { e.addEventListener(t, v[t]); });
			else e.setAttribute(a, v === true ? '' : v);
		});
		(kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
		return e;
	}

	var uid = 0;
	function nextId(p) { uid += 1; return (p || 'cb') + '-' + uid; }

	/*
	 * list(container, opts): a list of items the manager adds, removes and reorders.
	 *   opts.items: the initial values; opts.make(value, api) -> {el, value()} builds one item's editor
	 *   (api.changed() after an edit); opts.onchange(values); opts.labels (add, remove, up, down, drag, empty);
	 *   opts.addLabel, opts.addClass (the add button's); opts.itemLabel(i) names item i for the move/remove buttons
	 *   (screen readers); opts.emptyText.
	 * Returns {values(), add(value), el}.
	 */
	function list(container, opts) {
		var L = labeller(opts.labels);
		var rows = el('ol', { class: 'cb-list' });
		var empty = el('p', { class: 'empty cb-empty', text: opts.emptyText || L('empty') });
		var addBtn = el('button', { type: 'button', class: 'cb-add' + (opts.addClass ? ' ' + opts.addClass : ''), text: opts.addLabel || L('add') });
		var items = [];
		var dragging = null;
		// Moves are announced to screen readers (the focus stays on the arrow button).
		var live = el('span', { class: 'cb-live', role: 'status' });
		container.appendChild(live);
		container.appendChild(rows);
		container.appendChild(empty);
		container.appendChild(addBtn);
		function itemName(i) { return opts.itemLabel ? opts.itemLabel(i) : String(i + 1); }
		function changed() {
			empty.hidden = items.length > 0;
			items.forEach(function (it, i) {
				// The row's own controls (a route's row holds a list of conditions with controls of their own).
				it.up.disabled = i === 0;
				it.down.disabled = i === items.length - 1;
				it.up.setAttribute('aria-label', L('up') + ' ' + itemName(i));
				it.down.setAttribute('aria-label', L('down') + ' ' + itemName(i));
				it.remove.setAttribute('aria-label', L('remove') + ' ' + itemName(i));
				it.pos.textContent = String(i + 1);
			});
			if (opts.onchange) opts.onchange(values());
		}
		function values() { return items.map(function (it) { return it.editor.value(); }); }
		function move(it, to) {
			var from = items.indexOf(it);
			if (to < 0 || to >= items.length || to === from) return;
			items.splice(from, 1);
			items.splice(to, 0, it);
			rows.insertBefore(it.row, to === items.length - 1 ? null : items[to + 1].row);
			changed();
			live.textContent = L('moved') + ' ' + itemName(to);
		}
		function add(value, focus) {
			var it = {};
			var api = { changed: changed };
			it.editor = opts.make(value, api);
			var handle = el('span', { class: 'cb-handle', title: L('drag'), 'aria-hidden': 'true', text: '⠿' });
			var up = el('button', { type: 'button', class: 'cb-up small', text: '↑', on: { click: function () {
				move(it, items.indexOf(it) - 1);
				(up.disabled ? down : up).focus();
			} } });
			var down = el('button', { type: 'button', class: 'cb-down small', text: '↓', on: { click: function () {
				move(it, items.indexOf(it) + 1);
				(down.disabled ? up : down).focus();
			} } });
			var remove = el('button', { type: 'button', class: 'cb-remove small danger', text: L('remove'), on: { click: function () {
				var i = items.indexOf(it);
				items.splice(i, 1);
				it.row.remove();
				changed();
				(items[i] ? items[i].remove : addBtn).focus();
			} } });
			it.up = up;
			it.down = down;
			it.remove = remove;
			it.pos = el('span', { class: 'cb-pos' });
			it.row = el('li', { class: 'cb-item' }, [
				el('div', { class: 'cb-grip' }, [handle, it.pos]),
				el('div', { class: 'cb-body' }, [it.editor.el]),
				el('div', { class: 'cb-tools' }, [up, down, remove])
			]);
			// Only the handle makes the row draggable, so text in its inputs can still be selected with the mouse.
			handle.addEventListener('mousedown', function () { it.row.draggable = true; });
			it.row.addEventListener('mouseup', function () { it.row.draggable = false; });
			it.row.addEventListener('dragstart', function (ev) {
				if (ev.target !== it.row) return;
				ev.stopPropagation();
				dragging = it;
				it.row.classList.add('cb-dragging');
				ev.dataTransfer.effectAllowed = 'move';
				try { ev.dataTransfer.setData('text/plain', String(items.indexOf(it))); } catch (x) { /* old browsers */ }
			});
			it.row.addEventListener('dragend', function () {
				it.row.draggable = false;
				it.row.classList.remove('cb-dragging');
				dragging = null;
			});
			it.row.addEventListener('dragover', function (ev) {
				if (!dragging || dragging === it) return;
				ev.preventDefault();
				ev.stopPropagation();
				var r = it.row.getBoundingClientRect();
				var to = items.indexOf(it) + (ev.clientY > r.top + r.height / 2 ? 1 : 0);
				if (items.indexOf(dragging) < to) to -= 1;
				move(dragging, to);
			});
			it.row.addEventListener('drop', function (ev) { if (dragging) ev.preventDefault(); });
			items.push(it);
			rows.appendChild(it.row);
			changed();
			if (focus) {
				var f = it.row.querySelector('input, select, textarea');
				if (f) f.focus();
			}
			return it;
		}
		addBtn.addEventListener('click', function () { add(undefined, true); });
		(opts.items || []).forEach(function (v) { add(v, false); });
		changed();
		return { values: values, add: add, el: container };
	}

	/*
	 * Fields of a condition builder, as the page gives them:
	 *   {id: "visitor.identified", label, type: "bool"|"text"|"number"|"enum"|"id", options: [{value, label}],
	 *    ops: [...] (default by type), key: "visitor." (a family: the manager types the key after the prefix)}
	 * enum values compare as text, id values (groups, channels by name) as numbers.
	 */
	var defaultOps = {
		bool: ['eq', 'exists'],
		text: ['eq', 'ne', 'contains', 'prefix', 'in', 'exists'],
		number: ['eq', 'ne', 'in', 'exists'],
		enum: ['eq', 'ne', 'in', 'exists'],
		id: ['eq', 'ne', 'in', 'exists']
	};

	function fieldOf(fields, name) {
		var i;
		for (i = 0; i < fields.length; i++) if (!fields[i].key && fields[i].id === name) return { f: fields[i], key: '' };
		for (i = 0; i < fields.length; i++)
			if (fields[i].key && name.indexOf(fields[i].key) === 0) return { f: fields[i], key: name.slice(fields[i].key.length) };
		return null;
	}

	function scalar(f, s) {
		if (f.type === 'id' || f.type === 'number') {
			var n = Number(s);
			return s !== '' && isFinite(n) ? n : s;
		}
		if (f.type === 'bool') return s === 'true';
		return s;
	}

	/* Mark the part of an editor the server refused ("field", "op", "value"; anything else: the whole row). */
	function markFault(box, fault) {
		var sel = { field: '.cb-field, .cb-key', op: '.cb-op', value: '.cb-val, .cb-multi input' }[fault.part] || 'select, input';
		var msgId = nextId('fault');
		box.querySelectorAll(sel).forEach(function (c) {
			if (c.hidden) return;
			c.setAttribute('aria-invalid', 'true');
			c.setAttribute('aria-describedby', msgId);
		});
		box.appendChild(el('small', { class: 'field-error cb-fault', id: msgId, text: fault.message }));
	}

	/* Parse "all[2].value" (a fault's path below a match) into {index, part}; null when it names no condition. */
	function faultAt(path, message) {
		var m = /^all\[(\d+)\](?:\.(\w+))?/.exec(path || '');
		return m ? { index: Number(m[1]), part: m[2] || '', message: message } : null;
	}

	/* One condition's editor: field, key (for a family), operator, value. */
	function condEditor(fields, cond, api, L, fault) {
		cond = cond || {};
		var found = cond.field ? fieldOf(fields, cond.field) : null;
		if (cond.field && !found) {
			// A field this page does not list (written through the API): kept as it is, shown by its name.
			fields = fields.concat([{ id: cond.field, label: cond.field, type: 'text' }]);
			found = { f: fields[fields.length - 1], key: '' };
		}
		var id = nextId('cond');
		var fieldSel = el('select', { class: 'cb-field', id: id + '-f', 'aria-label': L('field') },
			fields.map(function (f, i) { return el('option', { value: String(i), text: f.label }); }));
		var keyIn = el('input', { type: 'text', class: 'cb-key', id: id + '-k', maxlength: '64', pattern: '[A-Za-z0-9_.\\-]+',
			'aria-label': L('key'), placeholder: L('key_placeholder') });
		var opSel = el('select', { class: 'cb-op', id: id + '-o', 'aria-label': L('op') });
		var valBox = el('span', { class: 'cb-value' });
		var box = el('div', { class: 'cb-cond' }, [fieldSel, keyIn, opSel, valBox]);
		var valueGet = function () { return undefined; };
		var field = found ? found.f : fields[0];
		fieldSel.value = String(fields.indexOf(field));
		keyIn.value = found ? found.key : '';

		function fillOps(want) {
			var ops = field.ops || defaultOps[field.type] || defaultOps.text;
			opSel.textContent = '';
			ops.forEach(function (o) { opSel.appendChild(el('option', { value: o, text: L('op_' + o) })); });
			opSel.value = ops.indexOf(want) >= 0 ? want : ops[0];
		}
		function valueInput(op, v) {
			valBox.textContent = '';
			var vl = L('value');
			if (op === 'exists') {
				var s = el('select', { class: 'cb-val', 'aria-label': vl }, [
					el('option', { value: 'true', text: L('exists_true') }), el('option', { value: 'false', text: L('exists_false') })]);
				s.value = v === false ? 'false' : 'true';
				valBox.appendChild(s);
				valueGet = function () { return s.value === 'true'; };
				return;
			}
			if (field.type === 'bool') {
				var b = el('select', { class: 'cb-val', 'aria-label': vl }, [
					el('option', { value: 'true', text: L('yes') }), el('option', { value: 'false', text: L('no') })]);
				b.value = v === false || v === 'false' ? 'false' : 'true';
				valBox.appendChild(b);
				valueGet = function () { return b.value === 'true'; };
				return;
			}
			var opts = field.options;
			if (opts && op === 'in') {
				var have = Array.isArray(v) ? v.map(String) : v !== undefined ? [String(v)] : [];
				var group = el('span', { class: 'cb-multi', role: 'group', 'aria-label': vl });
				opts.forEach(function (o) {
					group.appendChild(el('label', {}, [el('input', { type: 'checkbox', value: String(o.value), checked: have.indexOf(String(o.value)) >= 0 }), ' ' + o.label]));
				});
				valBox.appendChild(group);
				valueGet = function () {
					return Array.prototype.filter.call(group.querySelectorAll('input'), function (c) { return c.checked; })
						.map(function (c) { return scalar(field, c.value); });
				};
				return;
			}
			if (opts) {
				var sel = el('select', { class: 'cb-val', 'aria-label': vl }, opts.map(function (o) {
					return el('option', { value: String(o.value), text: o.label });
				}));
				if (v !== undefined && !Array.isArray(v)) {
					if (!opts.some(function (o) { return String(o.value) === String(v); }))
						sel.appendChild(el('option', { value: String(v), text: String(v) }));
					sel.value = String(v);
				}
				valBox.appendChild(sel);
				valueGet = function () { return scalar(field, sel.value); };
				return;
			}
			var text = op === 'in' ? (Array.isArray(v) ? v.join(', ') : v !== undefined ? String(v) : '') : (v !== undefined && !Array.isArray(v) ? String(v) : '');
			var inp = el('input', { type: field.type === 'number' && op !== 'in' ? 'number' : 'text', class: 'cb-val', value: text,
				'aria-label': vl, placeholder: op === 'in' ? L('in_placeholder') : '' });
			valBox.appendChild(inp);
			valueGet = function () {
				if (op === 'in')
					return inp.value.split(/[,，]/).map(function (s) { return s.trim(); }).filter(Boolean).map(function (s) { return scalar(field, s); });
				return scalar(field, inp.value);
			};
		}
		function show(op, v) {
			keyIn.hidden = !field.key;
			keyIn.required = !!field.key;
			fillOps(op);
			valueInput(opSel.value, v);
		}
		fieldSel.addEventListener('change', function () {
			field = fields[Number(fieldSel.value)];
			show(opSel.value, undefined);
			api.changed();
		});
		opSel.addEventListener('change', function () {
			var keep = valueGet();
			valueInput(opSel.value, opSel.value === 'exists' ? undefined : keep);
			api.changed();
		});
		box.addEventListener('input', api.changed);
		box.addEventListener('change', api.changed);
		show(cond.op, cond.value);
		if (fault) markFault(box, fault);
		return {
			el: box,
			value: function () {
				var c = { field: field.key ? field.key + keyIn.value.trim() : field.id, op: opSel.value };
				var v = valueGet();
				if (!(opSel.value === 'exists' && v === true)) c.value = v;
				return c;
			}
		};
	}

	/*
	 * conditions(container, opts): the conditions of a match, all of which must hold.
	 *   opts.fields (above), opts.value ("all", {"all": [...]} or an array), opts.labels, opts.onchange(match).
	 * value() is "all" with no condition, else {"all": [...]} (the rules' and groups' COND language; a page
	 * whose server wants the bare array, as proactive triggers may, reads conditions()).
	 */
	function conditions(container, opts) {
		var L = labeller(opts.labels);
		var v = opts.value;
		var start = Array.isArray(v) ? v : v && Array.isArray(v.all) ? v.all : [];
		container.classList.add('cond-builder');
		var made = 0;
		var lst = list(container, {
			items: start,
			labels: opts.labels,
			addLabel: L('add_condition'),
			emptyText: opts.emptyText || L('no_conditions'),
			itemLabel: function (i) { return L('condition') + ' ' + (i + 1); },
			make: function (c, api) {
				var f = opts.fault && opts.fault.index === made ? opts.fault : null;
				made += 1;
				return condEditor(opts.fields || [], c, api, L, f);
			},
			onchange: function () { if (opts.onchange && lst) opts.onchange(value()); }
		});
		function conds() { return lst.values(); }
		function value() { var c = conds(); return c.length ? { all: c } : 'all'; }
		return { value: value, conditions: conds, el: container };
	}

	/* Mount every [data-cond-builder]: data-config {fields, labels} (JSON), and data-input, the id of the hidden
	 * input the value goes into (its initial value is the builder's start); data-shape="list" for a bare array;
	 * data-fault ("all[2].value") and data-fault-message mark a condition the server refused. */
	function mountAll(scope) {
		(scope || document).querySelectorAll('[data-cond-builder]').forEach(function (box) {
			if (box.dataset.mounted) return;
			box.dataset.mounted = '1';
			var cfg = JSON.parse(box.getAttribute('data-config') || '{}');
			var input = document.getElementById(box.getAttribute('data-input'));
			var start;
			try { start = JSON.parse(input.value || '"all"'); } catch (x) { start = 'all'; }
			// data-shape="list": the input holds the bare array of conditions, not "all" / {"all": [...]}.
			var bare = box.getAttribute('data-shape') === 'list';
			var c = conditions(box, {
				fields: cfg.fields, labels: cfg.labels, value: start,
				fault: faultAt(box.getAttribute('data-fault'), box.getAttribute('data-fault-message')),
				onchange: function (m) { input.value = JSON.stringify(bare ? c.conditions() : m); }
			});
		});
	}

	root.KefuBuild = { el: el, list: list, conditions: conditions, labeller: labeller, faultAt: faultAt, mountAll: mountAll };
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { mountAll(); });
	else mountAll();
})(window);
