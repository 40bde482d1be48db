69c\
\        <appreciation-generale>  </appreciation-generale>
