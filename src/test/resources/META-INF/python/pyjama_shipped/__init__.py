"""A Python package shipped as a resource (META-INF/python): JarPythonPathTest imports it."""


def where() -> str:
    return __file__
