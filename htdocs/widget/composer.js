// htdocs/widget/composer.js: sending text and files, the emoji picker, the textarea's size and Enter key.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

	function sendText() {
		var text = ui.text.value.replace(/\s+$/, '');
		if (!text.trim() || PREVIEW) return;
		ui.text.value = '';
		autosize();
		S.sending++;
		W.ensureConversation().then(function () {
			return api('POST', '/api/v1/widget/conversations/' + S.conv + '/messages', { kind: 'text', text: text });
		}).then(W.renderMessage, function (err) {
			if (err.code === 'conflict') W.closedState();
			else { ui.text.value = text; W.note(explain(err), 'error'); }
		}).then(sent);
	}

	function onFile() {
		var f = ui.file.files && ui.file.files[0];
		ui.file.value = '';
		if (!f || PREVIEW) return;
		S.sending++;
		W.ensureConversation().then(function () {
			var fd = new FormData();
			fd.append('file', f, f.name);
			return api('POST', '/api/v1/widget/conversations/' + S.conv + '/attachments', fd, true);
		}).then(W.renderMessage, function (err) {
			if (err.code === 'conflict') W.closedState();
			else W.note(explain(err), 'error');
		}).then(sent);
	}

	function sent() { S.sending--; W.afterEvents(); }

	function autosize() {
		ui.text.style.height = 'auto';
		ui.text.style.height = Math.min(ui.text.scrollHeight, 120) + 'px';
	}

	function onKey(e) {
		if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(); }
		else setTimeout(autosize, 0);
	}

	function toggleEmoji() {
		ui.emoji.hidden = !ui.emoji.hidden;
		ui.emojiBtn.setAttribute('aria-expanded', String(!ui.emoji.hidden));
		if (!ui.emoji.hidden) ui.emoji.firstChild.focus();
	}

	function insert(s) {
		var a = ui.text.selectionStart || 0, b = ui.text.selectionEnd || 0, v = ui.text.value;
		ui.text.value = v.slice(0, a) + s + v.slice(b);
		ui.text.selectionStart = ui.text.selectionEnd = a + s.length;
		ui.emoji.hidden = true;
		ui.emojiBtn.setAttribute('aria-expanded', 'false');
		ui.text.focus();
	}

	Object.assign(W, {
		sendText: sendText, onFile: onFile, sent: sent, autosize: autosize, onKey: onKey, toggleEmoji: toggleEmoji,
		insert: insert
	});
});
