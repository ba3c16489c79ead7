// After an image is inserted in the rich-text editor, the cursor stands after it, in
// the text: the editor library leaves it inside the new figure (its caption), so the
// next words typed became the caption. A figure that no paragraph follows gets one.
(function () {
  "use strict";

  function figures(doc) {
    var count = 0;
    doc.descendants(function (node) {
      if (node.type.name === "figure") count += 1;
      return node.type.name !== "figure";
    });
    return count;
  }

  function figureEndAround(selection) {
    var $from = selection.$from;
    for (var depth = $from.depth; depth > 0; depth--) {
      if ($from.node(depth).type.name === "figure") return $from.after(depth);
    }
    if (selection.node && selection.node.type.name === "figure") return selection.to;
    return null;
  }

  function placeAfter(editor, end) {
    var next = editor.state.doc.resolve(end).nodeAfter;
    var chain = editor.chain();
    if (!next || next.type.name !== "paragraph") {
      chain = chain.insertContentAt(end, { type: "paragraph" });
    }
    chain.setTextSelection(end + 1).focus().run();
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var editor = event.detail && event.detail.editor;
    if (!editor || typeof editor.on !== "function") return;
    var known = figures(editor.state.doc);
    editor.on("transaction", function (props) {
      if (!props.transaction.docChanged) return;
      var now = figures(editor.state.doc);
      var inserted = now > known;
      known = now;
      if (!inserted) return;
      var end = figureEndAround(editor.state.selection);
      // After this transaction has finished dispatching, not inside it.
      if (end !== null) window.setTimeout(function () { placeAfter(editor, end); }, 0);
    });
  });
})();
