// Tap-to-count at the door: big -1 / +1 buttons beside "How many people came?". Progressive
// enhancement only: without JavaScript the number field works on its own, and the field
// stays editable (type a number, then carry on tapping).
for (const input of document.querySelectorAll("input[data-tally]")) {
  const status = document.createElement("p");
  status.className = "govuk-body cc-tally__count";
  status.setAttribute("role", "status");
  status.id = `${input.id}-tally`;

  const count = () => {
    const value = Number.parseInt(input.value, 10);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const button = (text, label, step) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `govuk-button govuk-button--secondary cc-tally__button cc-tally__button--${step > 0 ? "add" : "take"}`;
    element.textContent = text;
    element.setAttribute("aria-describedby", status.id);
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = ` ${label}`;
    element.append(hidden);
    element.addEventListener("click", () => {
      const value = Math.max(0, count() + step);
      input.value = String(value);
      status.textContent = `Counted: ${value} ${value === 1 ? "person" : "people"}`;
    });
    return element;
  };

  const tally = document.createElement("div");
  tally.className = "cc-tally";
  tally.append(button("−1", "(take one person away)", -1), button("+1", "(add one person)", 1));
  input.after(tally, status);
}
