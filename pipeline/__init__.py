"""nianbao: Chinese higher-vocational college quality reports (质量年度报告) from PDF to validated data."""

__version__ = "0.1.0"
