// htdocs/widget/leave-message.js: the leave-a-message form (busy, offline, out of hours), filled with what the visitor already wrote.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

	function openLeave(focus) {
		var lm = S.channel && S.channel.leave_message;
		if (!lm || S.left) return;
		if (S.leaveForm) { if (focus) W.focusFirst(S.leaveForm); return; }
		var row = h('li', { class: 'k-formrow k-leaverow' });
		var form = W.fieldForm(lm.fields || [], {
			prefix: 'k-l', hello: t('leaveTitle'), submit: t('leaveSend'),
			onSubmit: function (values) {
				return api('POST', '/api/v1/widget/channels/' + encodeURIComponent(KEY) + '/leave-messages', { fields: values });
			},
			onDone: function () {
				S.left = true; S.leaveForm = null;
				// A reload replays this conversation's offline status: do not ask again.
				// Left before any conversation (nobody online when the panel opened): "pre".
				store.set('left', S.conv || 'pre');
				row.textContent = '';
				row.className = 'k-note k-thanks';
				row.setAttribute('role', 'status');
				row.textContent = t('leaveThanks');
				W.leaveOffer();
				W.scroll();
			}
		});
		form.classList.add('k-leave');
		// What the visitor already wrote into a conversation nobody can answer becomes the
		// message they leave (the first multi-line field, else one named "message").
		var said = [].map.call(ui.list.querySelectorAll('.k-msg.k-visitor .k-textmsg'), function (n) { return n.textContent; });
		var box = form.querySelector('textarea') || form.querySelector('[name="message"]');
		if (said.length && box && !box.value) box.value = said.join('\n');
		row.appendChild(form);
		ui.list.appendChild(row);
		S.leaveForm = row;
		W.leaveOffer();
		W.scroll();
		if (focus || S.open) W.focusFirst(row);
	}

	W.openLeave = openLeave;
});
