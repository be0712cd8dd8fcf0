// sidebar-editor.js: up/down buttons for the side panel editor; they move rows and renumber the order boxes the form already has.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
	var form = document.getElementById('sidebar-form');
	if (!form)
		return;
	// Renumber the order boxes of a list of rows in their on-screen order.
	function renumber(rows, pick) {
		rows.forEach(function (row, i) {
			var box = pick(row);
			if (box)
				box.value = String(i + 1);
		});
	}
	function objects() { return Array.prototype.slice.call(form.querySelectorAll('.sb-object')); }
	function objectBox(el) { return el.querySelector('.sb-order .sb-num'); }
	function fieldBox(el) { return el.querySelector('.sb-num'); }
	function button(label, text, onclick) {
		var b = document.createElement('button');
		b.type = 'button';
		b.className = 'small sb-move';
		b.textContent = text;
		b.setAttribute('aria-label', label);
		b.addEventListener('click', onclick);
		return b;
	}
	function mover(el, up, after) {
		return function () {
			var sib = up ? el.previousElementSibling : el.nextElementSibling;
			if (!sib || !sib.classList.contains(el.classList.contains('sb-object') ? 'sb-object' : 'sb-field'))
				return;
			el.parentNode.insertBefore(el, up ? sib : sib.nextSibling);
			after();
			this.focus();
		};
	}
	var upL = form.getAttribute('data-l-up') || 'Up', downL = form.getAttribute('data-l-down') || 'Down';
	objects().forEach(function (obj) {
		var legend = obj.querySelector('.sb-order');
		var done = function () { renumber(objects(), objectBox); };
		legend.appendChild(button(upL, '↑', mover(obj, true, done)));
		legend.appendChild(button(downL, '↓', mover(obj, false, done)));
		obj.querySelectorAll('.sb-field').forEach(function (row) {
			var cell = row.lastElementChild;
			var again = function () {
				renumber(Array.prototype.slice.call(obj.querySelectorAll('.sb-field')), fieldBox);
			};
			cell.appendChild(button(upL, '↑', mover(row, true, again)));
			cell.appendChild(button(downL, '↓', mover(row, false, again)));
		});
	});
});
