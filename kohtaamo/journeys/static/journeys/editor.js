// Drag-and-drop reordering of stages and touchpoints (HTML5 DnD); the new order is posted with htmx
// and the editor is swapped in place. The arrow buttons are the keyboard alternative.
(function () {
  let dragged = null;

  function post(url, values) {
    htmx.ajax("POST", url, { target: "#editor", select: "#editor", swap: "outerHTML", values: values });
  }

  function after(container, y, selector) {
    const items = [...container.querySelectorAll(":scope > " + selector + ":not(.dragging)")];
    return items.find((el) => y < el.getBoundingClientRect().top + el.offsetHeight / 2) || null;
  }

  document.addEventListener("dragstart", (event) => {
    const item = event.target.closest && event.target.closest(".editor-tp, .editor-stage");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.touchpoint || item.dataset.stage);
    event.stopPropagation();
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const isTouchpoint = dragged.classList.contains("editor-tp");
    const container = isTouchpoint ? event.target.closest(".editor-tps") : event.target.closest(".editor-stages");
    if (!container) return;
    event.preventDefault();
    const before = after(container, event.clientY, isTouchpoint ? ".editor-tp" : ".editor-stage");
    if (!isTouchpoint) {
      // Stages sit side by side: compare horizontal positions instead.
      const items = [...container.querySelectorAll(":scope > .editor-stage:not(.dragging)")];
      const next = items.find((el) => event.clientX < el.getBoundingClientRect().left + el.offsetWidth / 2) || null;
      container.insertBefore(dragged, next);
      return;
    }
    container.insertBefore(dragged, before);
  });

  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const list = document.getElementById("stage-list");
    if (dragged.classList.contains("editor-tp")) {
      const container = dragged.closest(".editor-tps");
      const ids = [...container.querySelectorAll(":scope > .editor-tp")].map((el) => el.dataset.touchpoint);
      post(list.dataset.touchpointsUrl, { stage: container.dataset.stage, ids: ids.join(",") });
    } else {
      const ids = [...list.querySelectorAll(":scope > .editor-stage")].map((el) => el.dataset.stage);
      post(list.dataset.reorderUrl, { ids: ids.join(",") });
    }
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
})();
