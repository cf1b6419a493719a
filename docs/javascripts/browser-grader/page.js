// The grader page's form (docs/grade-in-browser.md): small on purpose. The grader itself
// (grade.js), its libraries and the evaluation data load only when a reader drops or
// chooses a file; nothing leaves the reader's machine.

const WORDS = {
  en: {
    reading: "Reading the file…",
    data: "Fetching the evaluation data from this site…",
    loading: "Loading the model…",
    predicting: (done, total) => `Predicting: ${done.toLocaleString("en")} of ${total.toLocaleString("en")} inputs…`,
    graded: (s) => `Graded on this computer in ${s} s; nothing was uploaded.`,
    rejected: "Not graded: the file was rejected (the reason is below, as tfcert grade gives it).",
    unavailable: {
      online: "This problem is online only: its data is not published with the site. Grade it with tfcert grade.",
      licence: "This problem's data licence does not allow publishing it with the site. Grade it with tfcert grade.",
      data: "This problem's data was missing when this site was built. Grade it with tfcert grade.",
    },
    failed: (m) => `The page could not grade the file (${m}). Grade it with tfcert grade.`,
  },
  ko: {
    reading: "파일을 읽는 중…",
    data: "이 사이트에서 평가 데이터를 받는 중…",
    loading: "모델을 불러오는 중…",
    predicting: (done, total) => `예측 중: 입력 ${total.toLocaleString("ko")}개 중 ${done.toLocaleString("ko")}개…`,
    graded: (s) => `이 컴퓨터에서 ${s}초 만에 채점했습니다. 아무것도 업로드하지 않았습니다.`,
    rejected: "채점하지 않음: 파일이 거부되었습니다(이유는 아래에 tfcert grade와 같은 문장으로 나옵니다).",
    unavailable: {
      online: "온라인 전용 문제라 데이터가 사이트에 공개되지 않습니다. tfcert grade로 채점하세요.",
      licence: "이 문제의 데이터 라이선스가 사이트 공개를 허용하지 않습니다. tfcert grade로 채점하세요.",
      data: "사이트를 빌드할 때 이 문제의 데이터가 없었습니다. tfcert grade로 채점하세요.",
    },
    failed: (m) => `이 페이지에서 채점하지 못했습니다(${m}). tfcert grade로 채점하세요.`,
  },
};

function start(form) {
  const words = WORDS[form.dataset.lang] ?? WORDS.en;
  const base = new URL(form.dataset.base, document.baseURI).href;
  const select = form.querySelector("#tfcert-grader-problem");
  const input = form.querySelector("#tfcert-grader-file");
  const drop = form.querySelector("#tfcert-grader-drop");
  const status = form.querySelector("#tfcert-grader-status");
  const output = form.querySelector("#tfcert-grader-output");
  const score = form.querySelector("#tfcert-grader-score");
  let file = null;
  let run = 0;

  const show = (text) => {
    status.textContent = text;
  };

  async function gradeFile() {
    if (!file || !select.value) return;
    run += 1;
    const mine = run;
    form.dataset.state = "working";
    output.hidden = true;
    score.hidden = true;
    const say = async (step, done, total) => {
      if (mine !== run) return;
      show(step === "predicting" ? words.predicting(done, total) : words[step]);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the status paint
    };
    let outcome;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { grade } = await import("./grade.js");
      outcome = await grade(file.name, bytes, select.value, base, say);
    } catch (error) {
      outcome = { status: "error", message: String(error?.message ?? error) };
    }
    if (mine !== run) return;
    globalThis.tfcertGraderOutcome = outcome;
    if (outcome.status === "graded") {
      show(words.graded(outcome.result.seconds.toFixed(1)));
      score.textContent = `${outcome.result.problem}: ${outcome.result.score}/5`;
      score.hidden = false;
    } else if (outcome.status === "rejected") show(words.rejected);
    else if (outcome.status === "unavailable") show(words.unavailable[outcome.why] ?? words.unavailable.data);
    else show(words.failed(outcome.message));
    if (outcome.text) {
      output.textContent = outcome.text;
      output.hidden = false;
    }
    form.dataset.state = outcome.status;
  }

  input.addEventListener("change", () => {
    file = input.files[0] ?? null;
    gradeFile();
  });
  select.addEventListener("change", gradeFile);
  form.addEventListener("submit", (event) => event.preventDefault());
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("tfcert-grader__drop--over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("tfcert-grader__drop--over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("tfcert-grader__drop--over");
    file = event.dataTransfer.files[0] ?? null;
    gradeFile();
  });
  form.dataset.state = "ready";
}

const form = document.getElementById("tfcert-grader");
if (form) start(form);
