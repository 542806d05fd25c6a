// The explorer of notebook 03 without a kernel: a slider and a choice of images over precomputed pictures.
document.querySelectorAll(".book-explorer").forEach((explorer) => {
  const picks = JSON.parse(explorer.querySelector("script[type='application/json']").textContent);
  const slider = explorer.querySelector("input[type=range]");
  const rowsRead = explorer.querySelector("output");
  const picture = explorer.querySelector("img");
  const caption = explorer.querySelector(".book-explorer-caption");
  const choices = [...explorer.querySelectorAll("input[type=radio]")];
  function draw() {
    const pick = picks[Math.max(0, choices.findIndex((choice) => choice.checked))];
    const step = Number(slider.value);
    picture.src = pick.frames[step - 1];
    picture.alt = pick.captions[step - 1];
    caption.textContent = pick.captions[step - 1];
    rowsRead.textContent = String(step);
  }
  slider.addEventListener("input", draw);
  choices.forEach((choice) => choice.addEventListener("change", draw));
  draw();
});
