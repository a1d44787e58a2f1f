from saksgen.cli import main

main()
