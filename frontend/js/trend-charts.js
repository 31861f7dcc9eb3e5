// Trend charts on the director's page, drawn with Chart.js (loaded before this module) from
// the page's json_script element "trend-data". Readable without colour: the scope (the
// authority, a team) is a solid line with round markers, England a dashed line without
// markers, the statistical neighbours' average a dotted line with triangle markers, and each
// line is labelled at its end. The same figures are in the table under each chart.
const source = document.getElementById("trend-data");
const Chart = window.Chart;

// Writes each line's name at its last point, so no legend colour is needed to tell them apart.
const directLabels = {
  id: "directLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = "14px sans-serif";
    ctx.fillStyle = "#0b0c0c";
    ctx.textAlign = "right";
    chart.data.datasets.forEach((dataset, index) => {
      const points = chart.getDatasetMeta(index).data;
      const last = points[points.length - 1];
      if (!last || last.skip) return;
      ctx.fillText(dataset.label, last.x - 4, last.y - 8);
    });
    ctx.restore();
  },
};

if (source && Chart) {
  const charts = JSON.parse(source.textContent);
  document.querySelectorAll("[data-trend-chart]").forEach((holder) => {
    const data = charts[holder.dataset.trendChart];
    const canvas = holder.querySelector("canvas");
    if (!data || !canvas) return;
    const percent = data.unit === "percentage";
    const datasets = [
      {
        label: data.scope,
        data: data.values,
        borderColor: "#1d70b8",
        backgroundColor: "#1d70b8",
        borderWidth: 3,
        pointStyle: "circle",
        pointRadius: 4,
        spanGaps: false,
      },
    ];
    if (data.england !== null) {
      datasets.push({
        label: "England",
        data: data.values.map(() => data.england),
        borderColor: "#0b0c0c",
        borderDash: [8, 6],
        borderWidth: 2,
        pointRadius: 0,
      });
    }
    if (data.neighbours !== null && data.neighbours !== undefined) {
      datasets.push({
        label: "Statistical neighbours",
        data: data.values.map(() => data.neighbours),
        borderColor: "#505a5f",
        backgroundColor: "#505a5f",
        borderDash: [2, 4],
        borderWidth: 2,
        pointStyle: "triangle",
        pointRadius: 4,
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        aspectRatio: 2.5,
        plugins: {
          legend: { labels: { usePointStyle: true } },
          title: { display: false },
        },
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: percent ? 100 : undefined,
            title: { display: true, text: percent ? "Per cent" : "Count" },
          },
        },
      },
      plugins: [directLabels],
    });
  });
}
