from governance.entry import main

main()
