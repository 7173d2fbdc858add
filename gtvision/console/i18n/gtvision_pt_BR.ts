<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AlarmDialog</name>
    <message>
        <source>Alarm</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>What was done (required)</source>
        <translation>O que foi feito (obrigatório)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Confirmar ciência</translation>
    </message>
    <message>
        <source>%1 · %2&lt;br&gt;&lt;b&gt;%3&lt;/b&gt;: %4</source>
        <translation>%1 · %2&lt;br&gt;&lt;b&gt;%3&lt;/b&gt;: %4</translation>
    </message>
    <message>
        <source>seen %1 times at this camera</source>
        <translation>vista %1 vezes nesta câmera</translation>
    </message>
    <message>
        <source>+%1 waiting</source>
        <translation>+%1 aguardando</translation>
    </message>
    <message>
        <source>loading the plate image…</source>
        <translation>carregando a imagem da placa…</translation>
    </message>
    <message>
        <source>no image</source>
        <translation>sem imagem</translation>
    </message>
</context>
<context>
    <name>AlarmsPanel</name>
    <message>
        <source>Priority</source>
        <translation>Prioridade</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Placa</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>Visto</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Vezes</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>Todas as prioridades</translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation>%1 ou mais</translation>
    </message>
    <message>
        <source>Filter by plate, camera or list</source>
        <translation>Filtrar por placa, câmera ou lista</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>Confirmar ciência…</translation>
    </message>
    <message>
        <source>Show camera</source>
        <translation>Ver câmera</translation>
    </message>
    <message>
        <source>Show recording</source>
        <translation>Ver gravação</translation>
    </message>
    <message>
        <source>Search plate</source>
        <translation>Buscar placa</translation>
    </message>
    <message>
        <source>open</source>
        <translation>aberto</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Confirmar ciência</translation>
    </message>
    <message>
        <source>What was done about %1 alarm(s)?</source>
        <translation>O que foi feito sobre %1 alarme(s)?</translation>
    </message>
</context>
<context>
    <name>ArchiveWindow</name>
    <message>
        <source>Recordings</source>
        <translation>Gravações</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>-10 s</source>
        <translation>-10 s</translation>
    </message>
    <message>
        <source>Bookmark…</source>
        <translation>Marcar…</translation>
    </message>
    <message>
        <source>Export clip…</source>
        <translation>Exportar clipe…</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Reproduzir</translation>
    </message>
    <message>
        <source>Nothing was recorded in this period.</source>
        <translation>Nada foi gravado neste período.</translation>
    </message>
    <message>
        <source>Save clip</source>
        <translation>Salvar clipe</translation>
    </message>
    <message>
        <source>Making the clip…</source>
        <translation>Gerando o clipe…</translation>
    </message>
    <message>
        <source>The clip could not be made: {0}</source>
        <translation>Não foi possível gerar o clipe: {0}</translation>
    </message>
    <message>
        <source>Clip saved: {0}</source>
        <translation>Clipe salvo: {0}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Descrição</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <source>Filter cameras…</source>
        <translation>Filtrar câmeras…</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <source>No zone</source>
        <translation>Sem zona</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Situação: %1</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>degradada</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>wrong credentials</source>
        <translation>credenciais incorretas</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecida</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Open in new window</source>
        <translation>Abrir em nova janela</translation>
    </message>
    <message>
        <source>Snapshot…</source>
        <translation>Capturar imagem…</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propriedades</translation>
    </message>
</context>
<context>
    <name>ConsoleController</name>
    <message>
        <source>Kiosk mode needs --server, --user and a password (keyring or env)</source>
        <translation>O modo quiosque precisa de --server, --user e uma senha (chaveiro do sistema ou variável de ambiente)</translation>
    </message>
    <message>
        <source>No saved view named %1</source>
        <translation>Nenhuma visão salva com o nome %1</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <source>Signed out. The next operator may sign in.</source>
        <translation>Sessão encerrada. O próximo operador pode entrar.</translation>
    </message>
</context>
<context>
    <name>DiscoveryDialog</name>
    <message>
        <source>Add cameras</source>
        <translation>Adicionar câmeras</translation>
    </message>
    <message>
        <source>Search the network</source>
        <translation>Procurar na rede</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Adicionar</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Endereço</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>%1 camera(s) found</source>
        <translation>%1 câmera(s) encontrada(s)</translation>
    </message>
    <message>
        <source>Camera added</source>
        <translation>Câmera adicionada</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Procurando…</translation>
    </message>
    <message>
        <source>Pick a camera or type its address</source>
        <translation>Escolha uma câmera ou digite o endereço</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>Consultando a câmera…</translation>
    </message>
</context>
<context>
    <name>EventsPanel</name>
    <message>
        <source>%1  %2 at %3</source>
        <translation>%1  %2 em %3</translation>
    </message>
    <message>
        <source>%1  ALERT %2 at %3: %4</source>
        <translation>%1  ALERTA %2 em %3: %4</translation>
    </message>
    <message>
        <source>%1  alert %2 seen again at %3 (%4 times)</source>
        <translation>%1  alerta %2 visto de novo em %3 (%4 vezes)</translation>
    </message>
    <message>
        <source>%1  ALERT %2 at %3 still waits: %4</source>
        <translation>%1  ALERTA %2 em %3 ainda aguarda: %4</translation>
    </message>
    <message>
        <source>%1  alert %2 acknowledged by %3</source>
        <translation>%1  alerta %2 confirmado por %3</translation>
    </message>
    <message>
        <source>%1  %2 is now %3</source>
        <translation>%1  %2 agora está %3</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export clip</source>
        <translation>Exportar clipe</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Até</translation>
    </message>
</context>
<context>
    <name>LocalSession</name>
    <message>
        <source>This workstation</source>
        <translation>Esta estação</translation>
    </message>
    <message>
        <source>Local mode</source>
        <translation>Modo local</translation>
    </message>
    <message>
        <source>Discovery failed: %1</source>
        <translation>A busca falhou: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>GT-Vision — sign in</source>
        <translation>GT-Vision — entrar</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>The server address starts with http:// or https://</source>
        <translation>O endereço do servidor começa com http:// ou https://</translation>
    </message>
    <message>
        <source>Type your user and password</source>
        <translation>Digite seu usuário e senha</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Playback</source>
        <translation>Reprodução</translation>
    </message>
    <message>
        <source>Play the recordings of the cameras on the wall</source>
        <translation>Reproduzir as gravações das câmeras do mosaico</translation>
    </message>
    <message>
        <source>Alarm sound</source>
        <translation>Som de alarme</translation>
    </message>
    <message>
        <source>Sound when a watch-listed plate passes</source>
        <translation>Tocar um som quando passar uma placa monitorada</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sair</translation>
    </message>
    <message>
        <source>End your session; the wall stays open for the next operator</source>
        <translation>Encerrar a sua sessão; o mosaico fica aberto para o próximo operador</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>PTZ</source>
        <translation>PTZ</translation>
    </message>
    <message>
        <source>Plate search</source>
        <translation>Busca de placas</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmes</translation>
    </message>
    <message>
        <source>Export plate reads</source>
        <translation>Exportar leituras de placas</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Arquivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportado para %1</translation>
    </message>
    <message>
        <source>Add cameras…</source>
        <translation>Adicionar câmeras…</translation>
    </message>
    <message>
        <source>Alarm acknowledged</source>
        <translation>Alarme confirmado</translation>
    </message>
    <message>
        <source>Events: connecting…</source>
        <translation>Eventos: conectando…</translation>
    </message>
    <message>
        <source>Events: live</source>
        <translation>Eventos: ao vivo</translation>
    </message>
    <message>
        <source>Events: reconnecting (%1)</source>
        <translation>Eventos: reconectando (%1)</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <source>Save snapshot</source>
        <translation>Salvar imagem</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>Maker</source>
        <translation>Fabricante</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sim</translation>
    </message>
    <message>
        <source>no</source>
        <translation>não</translation>
    </message>
    <message>
        <source>Put cameras on the wall first</source>
        <translation>Coloque câmeras no mosaico primeiro</translation>
    </message>
</context>
<context>
    <name>PlateSearchPanel</name>
    <message>
        <source>Plate, e.g. ABC1D23 or ABC</source>
        <translation>Placa, p. ex. ABC1D23 ou ABC</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Exata</translation>
    </message>
    <message>
        <source>Starts with</source>
        <translation>Começa com</translation>
    </message>
    <message>
        <source>Similar (one character off)</source>
        <translation>Parecida (um caractere diferente)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mais</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Horário</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Placa</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confiança</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Comparação</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <source>Double-click a read to play its recording</source>
        <translation>Clique duas vezes numa leitura para ver a gravação</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Todas as câmeras</translation>
    </message>
    <message>
        <source>%1 reads</source>
        <translation>%1 leituras</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>low</source>
        <translation>baixa</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>média</translation>
    </message>
    <message>
        <source>high</source>
        <translation>alta</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>crítica</translation>
    </message>
</context>
<context>
    <name>PtzPad</name>
    <message>
        <source>Select a PTZ camera on the wall</source>
        <translation>Selecione no mosaico uma câmera PTZ</translation>
    </message>
    <message>
        <source>Home position</source>
        <translation>Posição inicial</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Afastar zoom</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Aproximar zoom</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Posições salvas</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Ir</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Salvar…</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>Salvar posição</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
</context>
<context>
    <name>ServiceError</name>
    <message>
        <source>Not allowed for your role</source>
        <translation>Não permitido para o seu perfil</translation>
    </message>
    <message>
        <source>Not found (deleted, or of another city)</source>
        <translation>Não encontrado (excluído, ou de outra cidade)</translation>
    </message>
    <message>
        <source>Changed or done by someone else meanwhile</source>
        <translation>Alterado ou já feito por outra pessoa neste meio-tempo</translation>
    </message>
    <message>
        <source>The service refused the data</source>
        <translation>O serviço recusou os dados</translation>
    </message>
    <message>
        <source>Too many requests: the service asks to wait</source>
        <translation>Pedidos demais: o serviço pede para aguardar</translation>
    </message>
    <message>
        <source>The service failed</source>
        <translation>O serviço falhou</translation>
    </message>
    <message>
        <source>The service refused</source>
        <translation>O serviço recusou</translation>
    </message>
</context>
<context>
    <name>TileWidget</name>
    <message>
        <source>Empty</source>
        <translation>Vazio</translation>
    </message>
    <message>
        <source>Drag a camera here</source>
        <translation>Arraste uma câmera para cá</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Parado</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Ao vivo</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Gravado</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Save picture…</source>
        <translation>Salvar imagem…</translation>
    </message>
    <message>
        <source>Maximise / restore</source>
        <translation>Maximizar / restaurar</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Desfazer zoom</translation>
    </message>
    <message>
        <source>PTZ mode (drag to move, wheel to zoom)</source>
        <translation>Modo PTZ (arraste para mover, roda para zoom)</translation>
    </message>
    <message>
        <source>Stop this tile&apos;s tour</source>
        <translation>Parar a ronda deste quadro</translation>
    </message>
    <message>
        <source>Tour this camera&apos;s zone here</source>
        <translation>Ronda pela zona desta câmera aqui</translation>
    </message>
    <message>
        <source>Remove from the wall</source>
        <translation>Tirar do mosaico</translation>
    </message>
    <message>
        <source>Save picture</source>
        <translation>Salvar imagem</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>GT-Vision — %1</source>
        <translation>GT-Vision — %1</translation>
    </message>
    <message>
        <source>Wall layout</source>
        <translation>Layout do mosaico</translation>
    </message>
    <message>
        <source>Wall</source>
        <translation>Mosaico</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Visões</translation>
    </message>
    <message>
        <source>Saved views</source>
        <translation>Visões salvas</translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation>Salvar visão…</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Tela cheia</translation>
    </message>
    <message>
        <source>Custom layout</source>
        <translation>Layout personalizado</translation>
    </message>
    <message>
        <source>Rows x columns, e.g. 5x5</source>
        <translation>Linhas x colunas, ex.: 5x5</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Salvar visão</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
</context>
</TS>
