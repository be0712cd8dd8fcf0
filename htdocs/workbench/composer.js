// htdocs/workbench/composer.js: writing to the visitor: text (Enter sends, Shift+Enter adds a line), files and images, emoji.
(function () {
	'use strict';
	var WB = window.kefuWB, S = WB.S, t = WB.t, $ = WB.$, bus = WB.bus;

	function send() {
		var box = $('wb-text');
		var text = box.value;
		if (!S.current || !text.trim())
			return;
		var id = S.current;
		box.value = '';
		WB.api('POST', '/api/v1/agent/conversations/' + id + '/messages', { kind: 'text', text: text })
			.then(function (m) { bus.emit('message.sent', { id: id, message: m }); })
			.catch(function (e) {
				if (id === S.current && !box.value)
					box.value = text;
				WB.notice(t('workbench.send_failed') + ' ' + e.message);
			});
	}
	$('wb-composer').addEventListener('submit', function (e) { e.preventDefault(); send(); });
	$('wb-text').addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
			e.preventDefault();
			send();
		}
	});

	// A real button opens the file picker, so attaching works from the keyboard too.
	$('wb-attach-btn').addEventListener('click', function () { $('wb-file').click(); });
	$('wb-file').addEventListener('change', function () {
		var input = $('wb-file');
		var file = input.files && input.files[0];
		if (!file || !S.current)
			return;
		var id = S.current;
		var fd = new FormData();
		fd.append('file', file, file.name);
		input.value = '';
		WB.api('POST', '/api/v1/agent/conversations/' + id + '/attachments', fd)
			.then(function (m) { bus.emit('message.sent', { id: id, message: m }); })
			.catch(function (e) { WB.notice(e.status === 413 ? t('workbench.too_large') : t('workbench.upload_failed') + ' ' + e.message); });
	});

	var EMOJI = ['😀', '😁', '😂', '🙂', '😊', '😍', '😘', '😉', '😎', '🤔', '😅', '😭', '😢', '😡', '😱', '🙏',
		'👍', '👎', '👏', '👌', '🤝', '💪', '🎉', '❤️', '💔', '🔥', '⭐', '✅', '❌', '⚠️', '📦', '🚚',
		'💰', '🛒', '📞', '📧', '⏰', '🌹', '☕', '🍵'];
	(function buildEmoji() {
		var panel = $('wb-emoji');
		var toggle = $('wb-emoji-btn');
		function show(on) {
			panel.hidden = !on;
			toggle.setAttribute('aria-expanded', String(on));
		}
		EMOJI.forEach(function (e) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'wb-emoji-item';
			b.textContent = e;
			b.addEventListener('click', function () {
				var box = $('wb-text');
				var at = box.selectionStart || box.value.length;
				box.value = box.value.slice(0, at) + e + box.value.slice(box.selectionEnd || at);
				box.focus();
				box.selectionStart = box.selectionEnd = at + e.length;
				show(false);
			});
			panel.appendChild(b);
		});
		show(false);
		toggle.addEventListener('click', function () { show(panel.hidden); });
		// Escape closes the emoji panel and gives the focus back to its button.
		panel.addEventListener('keydown', function (e) {
			if (e.key === 'Escape') {
				show(false);
				toggle.focus();
			}
		});
	})();
})();
