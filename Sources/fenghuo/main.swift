import ArgumentParser

FenghuoCommand.main()
