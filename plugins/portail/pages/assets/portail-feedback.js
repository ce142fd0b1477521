// Portail: « Cet article vous a-t-il été utile ? » (FAQ articles and release notes, only when
// the site is built with the plugin option `endpoint_url`). The page holds a plain form that
// posts to the endpoint's /api/avis and works without JavaScript; this script posts the same
// fields as JSON instead, stays on the page and says thanks in the form's live region.
// « Non » first opens the optional reason field; « Envoyer » then sends it.
// If the endpoint cannot be reached (network, CORS), the form is sent as a plain form.
(function () {
  "use strict";

  var THANKS = "Merci pour votre avis.";
  var ASK_REASON = "Dites-nous ce qui manque ou ce qui est faux (facultatif), puis choisissez « Envoyer ».";
  var FAILED = "Votre avis n'a pas pu être enregistré";

  function setup(form) {
    if (form.dataset.portailReady || !window.fetch || !window.JSON) return;
    var reason = form.querySelector("[data-portail-feedback-reason]");
    var buttons = form.querySelector("[data-portail-feedback-buttons]");
    var status = form.querySelector("[data-portail-feedback-status]");
    var textarea = form.querySelector("textarea");
    var page = form.querySelector("input[name=page]");
    if (!reason || !buttons || !status || !textarea || !page) return;
    form.dataset.portailReady = "1";

    // With JavaScript the reason comes after « Non », with its own « Envoyer » button.
    buttons.parentNode.insertBefore(reason, buttons.nextSibling);
    reason.hidden = true;
    var send = document.createElement("button");
    send.type = "submit";
    send.name = "utile";
    send.value = "non";
    send.className = "md-button md-button--primary";
    send.textContent = "Envoyer";
    reason.appendChild(document.createTextNode(" "));
    reason.appendChild(send);

    var clicked = null;
    var native = false;
    form.addEventListener("click", function (event) {
      var target = event.target;
      if (target && target.tagName === "BUTTON") clicked = target;
    });

    form.addEventListener("submit", function (event) {
      if (native) return; // the fallback: let the browser post the form
      event.preventDefault();
      var button = event.submitter || clicked;
      var useful = !!button && button.value === "oui";
      if (!useful && reason.hidden) {
        reason.hidden = false;
        status.textContent = ASK_REASON;
        textarea.focus();
        return;
      }
      var body = { page: page.value, utile: useful };
      if (!useful && textarea.value.trim()) body.raison = textarea.value.trim().slice(0, 500);
      setBusy(true);
      fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        referrerPolicy: "no-referrer",
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () { return {}; })
            .then(function (data) {
              if (response.ok) {
                done();
              } else {
                setBusy(false);
                status.textContent = FAILED + (data && data.erreur ? " : " + data.erreur + "." : ".");
              }
            });
        })
        .catch(function () {
          // Unreachable or refused by CORS: the plain form still works.
          setBusy(false);
          native = true;
          if (button && form.requestSubmit) {
            form.requestSubmit(button);
          } else {
            var choice = document.createElement("input");
            choice.type = "hidden";
            choice.name = "utile";
            choice.value = useful ? "oui" : "non";
            form.appendChild(choice);
            form.submit();
          }
        });
    });

    function setBusy(busy) {
      Array.prototype.forEach.call(form.querySelectorAll("button, textarea"), function (control) {
        control.disabled = busy;
      });
    }

    function done() {
      var fieldset = form.querySelector("fieldset");
      if (fieldset) fieldset.hidden = true;
      status.textContent = THANKS;
      status.tabIndex = -1;
      status.focus();
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-portail-feedback]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
