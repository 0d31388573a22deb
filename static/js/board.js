// The pipeline board, enhanced: drag a card to another column to make the move that leads
// there (the same POST as the card's button; a move that needs a reason opens its page), and
// the bulk bar counts the ticked cards. Without scripts the buttons and the bulk form work.
(function () {
  const board = document.querySelector('[data-board]');
  if (!board) return;
  // data-board names the one form every card's move submits.
  const shared = document.getElementById(board.dataset.board || 'board-move');

  // Bulk bar: say how many cards are ticked; its buttons wait for a tick.
  const bulk = document.getElementById('board-bulk');
  const count = bulk && bulk.querySelector('[data-ticked]');
  const hint = count ? count.textContent : '';
  const boxes = () => Array.from(board.querySelectorAll('input[name="application"]'));
  const refresh = () => {
    if (!bulk) return;
    const ticked = boxes().filter((box) => box.checked).length;
    if (count) count.textContent = ticked ? `${ticked} card${ticked === 1 ? '' : 's'} ticked` : hint;
    bulk.classList.toggle('board-bulk-active', ticked > 0);
  };
  board.addEventListener('change', (event) => {
    if (event.target.name === 'application') refresh();
  });
  refresh();

  // Drag and drop between columns.
  let dragged = null;
  board.querySelectorAll('[data-moves]').forEach((card) => {
    card.setAttribute('draggable', 'true');
    card.addEventListener('dragstart', (event) => {
      dragged = card;
      card.classList.add('board-dragging');
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', card.id);
      const moves = JSON.parse(card.dataset.moves);
      board.querySelectorAll('[data-drop-key]').forEach((column) => {
        column.classList.toggle('board-drop-ok', column.dataset.dropKey in moves);
      });
    });
    card.addEventListener('dragend', () => {
      card.classList.remove('board-dragging');
      board.querySelectorAll('.board-drop-ok, .board-drop-over').forEach((column) => {
        column.classList.remove('board-drop-ok', 'board-drop-over');
      });
      dragged = null;
    });
  });
  board.querySelectorAll('[data-drop-key]').forEach((column) => {
    column.addEventListener('dragover', (event) => {
      if (!dragged || !column.classList.contains('board-drop-ok')) return;
      event.preventDefault();
      column.classList.add('board-drop-over');
    });
    column.addEventListener('dragleave', () => column.classList.remove('board-drop-over'));
    column.addEventListener('drop', (event) => {
      if (!dragged) return;
      event.preventDefault();
      const move = JSON.parse(dragged.dataset.moves)[column.dataset.dropKey];
      if (!move) return;
      if (move.page) {
        // Back to this board after the move's page, as the card's own link does.
        const next = shared && shared.querySelector('[name="next"]');
        window.location.assign(next ? `${move.page}?next=${encodeURIComponent(next.value)}` : move.page);
      } else if (shared) {
        shared.action = move.post;
        shared.submit();
      }
    });
  });
}());
