/* channels.js: the channel form's live widget preview, the pre-chat field editor and the embed snippet's copy button. */
(function () {
	'use strict';
	var form = document.getElementById('channel-form');
	var frame = document.getElementById('channel-preview');
	var copy = document.getElementById('embed-copy');
	if (copy) {
		copy.addEventListener('click', function () {
			var code = document.getElementById('embed-code');
			var done = function () { copy.textContent = copy.getAttribute('data-done'); };
			code.select();
			if (navigator.clipboard) navigator.clipboard.writeText(code.value).then(done, function () { document.execCommand('copy'); done(); });
			else { document.execCommand('copy'); done(); }
		});
	}
	if (!form) return;

	// --- pre-chat editor: rows that keep the hidden prechat_fields input (the form's real field) in step.
	var editor = document.getElementById('prechat-editor');
	var json = form.elements.prechat_fields;
	var rows = editor.querySelector('.prechat-rows');
	var L = function (k) { return editor.getAttribute('data-l-' + k) || k; };
	var fields = [];
	try { fields = JSON.parse(json.value || '[]'); } catch (e) { fields = null; }
	function el(tag, attrs, kids) {
		var e = document.createElement(tag);
		Object.keys(attrs || {}).forEach(function (a) {
			if (a === 'text') e.textContent = attrs[a];
			else if (a === 'value') e.value = attrs[a];
			else if (a === 'checked') e.checked = attrs[a];
			else e.setAttribute(a, attrs[a]);
		});
		(kids || []).forEach(function (k) { e.appendChild(k); });
		return e;
	}
	function sync() {
		var out = [];
		rows.querySelectorAll('.prechat-row').forEach(function (r) {
			var f = { name: r.querySelector('.f-name').value.trim(), label: r.querySelector('.f-label').value.trim(),
				type: r.querySelector('.f-type').value, required: r.querySelector('.f-required').checked };
			if (f.type === 'select') f.options = r.querySelector('.f-options').value.split(/[,，]/).map(function (s) { return s.trim(); }).filter(Boolean);
			r.querySelector('.f-options').parentNode.hidden = f.type !== 'select';
			out.push(f);
		});
		json.value = JSON.stringify(out);
		preview();
	}
	function makeRow(f, api) {
		f = f || { name: '', label: '', type: 'text', required: false };
		var type = el('select', { class: 'f-type' }, ['text', 'phone', 'email', 'select'].map(function (t) {
			return el('option', { value: t, text: L(t) });
		}));
		type.value = f.type || 'text';
		var row = el('div', { class: 'prechat-row' }, [
			el('label', {}, [el('span', { text: L('name') }), el('input', { class: 'f-name', value: f.name || '', maxlength: '32', pattern: '[a-z][a-z0-9_]*' })]),
			el('label', {}, [el('span', { text: L('label') }), el('input', { class: 'f-label', value: f.label || '', maxlength: '100' })]),
			el('label', {}, [el('span', { text: L('type') }), type]),
			el('label', { class: 'opts' }, [el('span', { text: L('options') }), el('input', { class: 'f-options', value: (f.options || []).join(', ') })]),
			el('label', { class: 'req' }, [el('input', { type: 'checkbox', class: 'f-required', checked: !!f.required }), el('span', { text: L('required') })])
		]);
		row.addEventListener('input', api.changed);
		row.addEventListener('change', api.changed);
		return { el: row, value: function () { return null; } };
	}
	if (Array.isArray(fields) && window.KefuBuild) {
		// The rows are a reorderable list (cond-builder.js: drag, or the arrow buttons); the hidden input is what
		// the form posts, rebuilt from the rows in their order.
		var addText = editor.querySelector('.prechat-add').textContent;
		editor.querySelector('.prechat-add').remove();
		var lst = window.KefuBuild.list(rows, {
			items: fields,
			labels: { up: L('up'), down: L('down'), remove: L('remove'), drag: L('drag'), moved: L('moved') },
			addLabel: addText,
			addClass: 'prechat-add',
			emptyText: L('none'),
			itemLabel: function (i) { return L('field') + ' ' + (i + 1); },
			make: makeRow,
			onchange: function () { if (lst) sync(); }
		});
		sync();
	}

	// --- live preview: the real loader and panel in the preview frame, fed the form's current values.
	function channel() {
		var e = form.elements, pf = [];
		try { pf = JSON.parse(json.value || '[]'); } catch (x) { pf = []; }
		var icon = e.icon_url.value.trim();
		return {
			name: e.name.value || '—',
			style: {
				theme_color: e.theme_color.value, button_label: e.button_label.value || '…', button_style: e.button_style.value,
				icon: /^https:\/\//.test(icon) ? icon : e.icon.value, position: e.position.value
			},
			prechat_fields: Array.isArray(pf) ? pf.filter(function (f) { return f && f.name && f.label; }) : []
		};
	}
	var ready = false;
	function preview() {
		if (ready && frame.contentWindow) frame.contentWindow.postMessage({ kefu: 1, type: 'preview', channel: channel() }, location.origin);
	}
	frame.addEventListener('load', function () { ready = true; preview(); });
	form.addEventListener('input', preview);
	form.addEventListener('change', preview);
})();
