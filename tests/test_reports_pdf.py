import io

from pypdf import PdfReader

from kohtaamo.reports.pdf import pdf_render
from kohtaamo.reports.svg import bar_svg, radar_svg


def test_a_report_template_becomes_a_pdf_with_its_text_and_chart(settings, tmp_path):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "t.html").write_text(
        "<html><body><h1>Raportti: {{ name }}</h1>{{ chart|safe }}</body></html>", encoding="utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
    chart = radar_svg(labels=["Eetos", "Paatos", "Logos"], series={"Itse": [80, 60, 70]}) + bar_svg(
        rows=[("Kuuntelu", 75.0), ("Luottamus", None)]
    )
    pdf = pdf_render(template="t.html", context={"name": "Äänekoski", "chart": chart})
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "Raportti: Äänekoski" in reader.pages[0].extract_text()
