// Inbox: the header checkbox selects every case on the page for bulk assignment.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll(".case-check").forEach((box) => { box.checked = all.checked; });
  });
});
